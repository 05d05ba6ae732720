using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LnbitsMcp.Edge.Tls;

public static class EdgeTlsExtensions
{
    /// <summary>
    /// Every HTTPS endpoint of the edge serves the resolved certificate over HTTP/1.1 and HTTP/2;
    /// HSTS outside development. Plain HTTP stays for local tools (see README).
    /// </summary>
    public static WebApplicationBuilder AddEdgeTls(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(EdgeTlsOptions.SectionName).Get<EdgeTlsOptions>() ?? new EdgeTlsOptions();
        var certificate = new Lazy<System.Security.Cryptography.X509Certificates.X509Certificate2?>(() => EdgeCertificates.Resolve(options));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http1AndHttp2);
            kestrel.ConfigureHttpsDefaults(https =>
            {
                if (certificate.Value is { } resolved)
                {
                    https.ServerCertificate = resolved;
                }
            });
        });
        builder.Services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(180));
        return builder;
    }

    public static WebApplication UseEdgeTls(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        return app;
    }
}
