using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace LnbitsMcp.Edge.Security;

/// <summary>
/// <c>X-Forwarded-For</c>/<c>-Proto</c> are honoured only from the proxies in
/// <c>ForwardedHeaders:TrustedNetworks</c> (CIDR list; default loopback only), also when
/// <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c> (which trusts everyone) is set: otherwise any client
/// could pick its own address and escape its rate limit.
/// </summary>
public static class TrustedProxies
{
    public const string SectionName = "ForwardedHeaders:TrustedNetworks";

    public static WebApplicationBuilder AddTrustedProxies(this WebApplicationBuilder builder)
    {
        var networks = builder.Configuration.GetSection(SectionName).Get<string[]>() ?? [];
        builder.Services.PostConfigure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.TrustLoopbackAnd(networks);
        });
        return builder;
    }

    /// <summary>Adds the middleware unless the host already did (ASPNETCORE_FORWARDEDHEADERS_ENABLED, with our options).</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("FORWARDEDHEADERS_ENABLED"))
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
