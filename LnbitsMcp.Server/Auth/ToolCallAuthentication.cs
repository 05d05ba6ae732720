using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Rest;

namespace LnbitsMcp.Server.Auth;

/// <summary>
/// Which requests go through ASP.NET Core's authentication middleware: all but an anonymous tool call, and a tool
/// call whose built-in access token was validated before (<see cref="ValidatedAccessTokens"/>). On the
/// tool-call paths (<c>/mcp</c>, the legacy SSE endpoints, <c>POST /tools/…</c>) a request without an
/// <c>Authorization</c> header has nothing to authenticate, yet the middleware would run every request handler
/// on it (the authorization server's and the token validation's, each allocating its transaction). MCP
/// clients send tokens in that header only (the MCP authorization spec forbids them in a query string).
/// </summary>
public static class ToolCallAuthentication
{
    /// <summary>The application property by which WebApplication knows that the app placed the authentication middleware itself.</summary>
    public const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    public static bool NeedsAuthentication(HttpContext context) =>
        (context.Request.Headers.Authorization.Count > 0 || !IsToolCallPath(context)) && !ValidatedAccessTokens.Taken(context);

    public static bool IsToolCallPath(HttpContext context) =>
        McpEndpoints.IsMcpRequest(context) || context.Request.Path.StartsWithSegments(RestToolEndpoints.Path);
}
