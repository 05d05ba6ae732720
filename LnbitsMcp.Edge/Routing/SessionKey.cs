using System.Security.Cryptography;
using System.Text;

namespace LnbitsMcp.Edge.Routing;

/// <summary>
/// Which MCP session a request belongs to: the <c>Mcp-Session-Id</c> header (Streamable HTTP) or the
/// <c>sessionId</c> query parameter (legacy <c>POST /message</c>). Routes are keyed by a SHA-256 of
/// the id, so neither memory dumps nor Redis hold usable session ids.
/// </summary>
public static class SessionKey
{
    public const string McpSessionIdHeader = "Mcp-Session-Id";
    public const string LegacySessionIdQuery = "sessionId";

    private const string ComputedItem = "LnbitsMcp.Edge.SessionKeyComputed";

    /// <summary>
    /// The session key of the request, hashed once per request (the rate limiter, the router and a rejection
    /// all ask; the hash is kept in <see cref="HttpContext.Items"/>); null when it names no session.
    /// </summary>
    public static string? FromRequest(HttpRequest request)
    {
        var items = request.HttpContext.Items;
        if (items.TryGetValue(ComputedItem, out var computed))
        {
            return (string?)computed;
        }

        var key = Compute(request);
        items[ComputedItem] = key;
        return key;
    }

    private static string? Compute(HttpRequest request)
    {
        if (request.Headers.TryGetValue(McpSessionIdHeader, out var header) && !string.IsNullOrEmpty(header))
        {
            return Hash(header.ToString());
        }

        if (request.Query.TryGetValue(LegacySessionIdQuery, out var query) && !string.IsNullOrEmpty(query))
        {
            return Hash(query.ToString());
        }

        return null;
    }

    public static string Hash(string sessionId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId)));

    /// <summary>The non-secret session hint of CONTRACT §6: the first 16 hex chars of SHA-256.</summary>
    public static string Hint(string sessionKey) => sessionKey[..16];
}
