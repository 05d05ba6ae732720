using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.OAuth;

/// <summary>
/// Serves Client ID Metadata Documents over https on a loopback port with a self-signed certificate, as a
/// client's web site would: a good document, one too large, one that answers too slowly.
/// </summary>
public sealed class ClientDocumentHost : IAsyncDisposable
{
    public const string RedirectUri = "http://127.0.0.1:9/callback";

    private readonly WebApplication _app;

    private ClientDocumentHost(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public string ClientId => new Uri(Url, "/oauth/client.json").AbsoluteUri;

    public string LargeClientId => new Uri(Url, "/oauth/large.json").AbsoluteUri;

    public string SlowClientId => new Uri(Url, "/oauth/slow.json").AbsoluteUri;

    public static async Task<ClientDocumentHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var certificate = SelfSigned();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        app.MapGet("/oauth/client.json", (HttpRequest request) => Results.Json(new Dictionary<string, object>
        {
            ["client_id"] = $"https://{request.Host}/oauth/client.json",
            ["client_name"] = "Document Client",
            ["redirect_uris"] = new[] { RedirectUri },
            ["token_endpoint_auth_method"] = "none",
            ["grant_types"] = new[] { "authorization_code", "refresh_token" },
        }));
        app.MapGet("/oauth/large.json", (HttpRequest request) => Results.Json(new Dictionary<string, object>
        {
            ["client_id"] = $"https://{request.Host}/oauth/large.json",
            ["client_name"] = new string('x', 64 * 1024),
            ["redirect_uris"] = new[] { RedirectUri },
        }));
        app.MapGet("/oauth/slow.json", async (HttpRequest request) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(8));
            return Results.Json(new Dictionary<string, object>
            {
                ["client_id"] = $"https://{request.Host}/oauth/slow.json",
                ["redirect_uris"] = new[] { RedirectUri },
            });
        });
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new ClientDocumentHost(app, ListeningAddress.Of(app));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
