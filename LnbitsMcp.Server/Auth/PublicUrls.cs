using LnbitsMcp.Server.Mcp;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Auth;

/// <summary>
/// The public URLs the issuer, the resource and the pages are named after: <c>Auth:PublicUrl</c> when set,
/// otherwise the request's scheme and host (which the forwarded headers of a trusted edge already set).
/// </summary>
public sealed class PublicUrls(IOptions<AuthOptions> options)
{
    public const string ProtectedResourcePath = "/.well-known/oauth-protected-resource";

    /// <summary>The base URL without a trailing slash, e.g. <c>https://mcp.example</c>.</summary>
    public string Base(HttpRequest request) =>
        options.Value.PublicUrl is { } configured
            ? configured.AbsoluteUri.TrimEnd('/')
            : $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase}".TrimEnd('/');

    /// <summary>The canonical MCP URL: the resource (RFC 8707) and the audience of every access token.</summary>
    public string McpResource(HttpRequest request) => Base(request) + McpEndpoints.StreamableHttpPath;

    /// <summary>The protected resource metadata URL (RFC 9728) named in every challenge.</summary>
    public string ResourceMetadata(HttpRequest request) => Base(request) + ProtectedResourcePath + McpEndpoints.StreamableHttpPath;

    public string Absolute(HttpRequest request, string path) => Base(request) + path;

    /// <summary><c>Auth:PublicUrl</c> without a trailing slash, or null when unset (URLs then follow each request).</summary>
    public string? Configured => options.Value.PublicUrl?.AbsoluteUri.TrimEnd('/');
}
