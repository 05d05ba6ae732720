using System.Net.Security;
using System.Text.Json;
using LnbitsMcp.Server.Security;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Auth;

/// <summary>
/// Client ID Metadata Documents: a client whose <c>client_id</c> is an https URL is described by the JSON
/// document at that URL. Fetched through the SSRF guard, limited in size (<c>Auth:ClientMetadataMaxBytes</c>)
/// and time (<c>Auth:ClientMetadataTimeout</c>), cached per instance (<c>Auth:ClientMetadataCacheDuration</c>).
/// The document must name itself as <c>client_id</c>, list its <c>redirect_uris</c>, and be a public client.
/// </summary>
public sealed partial class ClientMetadataDocuments(
    IHttpClientFactory httpClients,
    IMemoryCache cache,
    IOptions<AuthOptions> options,
    ILogger<ClientMetadataDocuments> logger)
{
    public const string HttpClientName = "oauth-client-metadata";

    /// <summary>True for a client_id that names a metadata document (an https URL with a path).</summary>
    public static bool IsDocumentUrl(string clientId) =>
        Uri.TryCreate(clientId, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttps
        && uri.AbsolutePath.Length > 1
        && string.IsNullOrEmpty(uri.Fragment)
        && string.IsNullOrEmpty(uri.UserInfo);

    /// <summary>The client the document describes, or null with the reason logged (unreachable, too large, slow, invalid).</summary>
    public async Task<OAuthClient?> FetchAsync(string clientId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(clientId, out OAuthClient? cached))
        {
            return cached;
        }

        var settings = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ClientMetadataTimeout);
        var host = new Uri(clientId).Host;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, clientId);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await httpClients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused(logger, host, $"HTTP {(int)response.StatusCode}");
                return null;
            }

            if (response.Content.Headers.ContentLength > settings.ClientMetadataMaxBytes)
            {
                LogRefused(logger, host, "document too large");
                return null;
            }

            var body = await ReadLimitedAsync(response.Content, settings.ClientMetadataMaxBytes, timeout.Token);
            if (body is null)
            {
                LogRefused(logger, host, "document too large");
                return null;
            }

            var client = Parse(clientId, body);
            if (client is null)
            {
                LogRefused(logger, host, "not a valid client metadata document");
                return null;
            }

            cache.Set(clientId, client, settings.ClientMetadataCacheDuration);
            return client;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogRefused(logger, host, "timed out");
            return null;
        }
        catch (Exception error) when (error is ForbiddenDestinationException or ResponseTooLargeException or HttpRequestException or JsonException)
        {
            LogRefused(logger, host, error is ForbiddenDestinationException ? "forbidden destination" : error.GetType().Name);
            return null;
        }
    }

    /// <summary>The document's client, when it is well-formed and names itself; public clients only.</summary>
    public static OAuthClient? Parse(string clientId, byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("client_id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() != clientId
            || !root.TryGetProperty("redirect_uris", out var uris) || uris.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var redirects = uris.EnumerateArray().Where(u => u.ValueKind == JsonValueKind.String).Select(u => u.GetString()!).ToList();
        if (redirects.Count == 0 || !redirects.All(RedirectUris.IsAcceptable))
        {
            return null;
        }

        if (root.TryGetProperty("token_endpoint_auth_method", out var method)
            && !(method.ValueKind == JsonValueKind.String && method.GetString() == "none"))
        {
            return null; // a document cannot carry a shared secret
        }

        var name = root.TryGetProperty("client_name", out var clientName) && clientName.ValueKind == JsonValueKind.String
            && clientName.GetString() is { Length: > 0 } text
            ? Truncate(text)
            : new Uri(clientId).Host;
        return new OAuthClient(clientId, name, redirects, SecretHash: null, FromMetadataDocument: true);
    }

    /// <summary>
    /// With <c>Security:AllowPrivateNetworks</c> (development and tests), a document served over https from a
    /// loopback address is accepted with a self-signed certificate; every other certificate is checked as usual.
    /// </summary>
    public static RemoteCertificateValidationCallback? LoopbackCertificatePolicy(SsrfGuardOptions guard) =>
        !guard.AllowPrivateNetworks
            ? null
            : (sender, _, _, errors) => errors == SslPolicyErrors.None
                || (sender is SslStream stream && Uri.TryCreate("https://" + stream.TargetHostName, UriKind.Absolute, out var target)
                    && RedirectUris.IsLoopback(target));

    internal static string Truncate(string text) => text.Length <= 100 ? text : text[..100];

    private static async Task<byte[]?> ReadLimitedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[maxBytes + 1];
        var total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                return null;
            }
        }

        return buffer[..total];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client metadata document at {Host} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string host, string reason);
}
