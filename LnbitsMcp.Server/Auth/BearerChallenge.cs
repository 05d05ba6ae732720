namespace LnbitsMcp.Server.Auth;

/// <summary>
/// The resource server's answers (MCP authorization spec, RFC 6750 §3): 401 with
/// <c>WWW-Authenticate: Bearer resource_metadata="…", scope="wallet:read wallet:pay"</c> (plus
/// <c>error="invalid_token"</c> for a bad token), and 403 <c>error="insufficient_scope"</c> for a paying
/// tool called without <c>wallet:pay</c>; the body is a JSON-RPC error like the server's other refusals.
/// </summary>
public static class BearerChallenge
{
    public static Task UnauthorizedAsync(HttpContext context, string resourceMetadataUrl, bool invalidToken, string message)
    {
        var error = invalidToken ? $", error=\"invalid_token\", error_description=\"{Quote(message)}\"" : string.Empty;
        context.Response.Headers.WWWAuthenticate = $"Bearer resource_metadata=\"{resourceMetadataUrl}\", scope=\"{OAuthScopes.All}\"{error}";
        return RequestGuards.WriteJsonRpcErrorAsync(context, StatusCodes.Status401Unauthorized, message);
    }

    public static Task InsufficientScopeAsync(HttpContext context, string resourceMetadataUrl, string tool)
    {
        context.Response.Headers.WWWAuthenticate =
            $"Bearer error=\"insufficient_scope\", scope=\"{OAuthScopes.All}\", resource_metadata=\"{resourceMetadataUrl}\", " +
            $"error_description=\"{Quote(tool)} needs the {OAuthScopes.WalletPay} scope\"";
        return RequestGuards.WriteJsonRpcErrorAsync(context, StatusCodes.Status403Forbidden,
            $"{tool} pays, and this connection may only read ({OAuthScopes.WalletRead}). Connect again with an admin key and without read-only to pay.");
    }

    private static string Quote(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "'", StringComparison.Ordinal);
}
