using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Lnbits;

/// <summary>Creates an <see cref="LnbitsClient"/> for one configuration over the SSRF-guarded HTTP client.</summary>
public sealed class LnbitsClientFactory(IHttpClientFactory httpClients, LnbitsCredentialCache cache, ILoggerFactory loggers)
{
    public const string HttpClientName = "lnbits";

    public LnbitsClient Create(LnbitsSettings settings) =>
        new(httpClients.CreateClient(HttpClientName), settings, cache, loggers.CreateLogger<LnbitsClient>());
}
