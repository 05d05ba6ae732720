namespace LnbitsMcp.Server.Auth;

/// <summary>
/// CORS for the public OAuth endpoints (metadata, token, registration, revocation), so browser-based clients
/// such as the MCP Inspector can run the flow: any origin, no credentials (these endpoints read no cookie).
/// The connect page and the MCP endpoints get no CORS headers. Browser origins still pass the Host/Origin
/// guard first (<c>Http:AllowedOrigins</c>).
/// </summary>
public static class OAuthCors
{
    public static bool Applies(PathString path) =>
        path.StartsWithSegments("/.well-known")
        || path.StartsWithSegments(AuthorizationServerExtensions.TokenPath)
        || path.StartsWithSegments(AuthorizationServerExtensions.RevokePath)
        || path.StartsWithSegments(ClientRegistrationEndpoint.Path);

    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!Applies(context.Request.Path) || string.IsNullOrEmpty(context.Request.Headers.Origin))
        {
            return next(context);
        }

        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            headers.AccessControlAllowMethods = "GET, POST, OPTIONS";
            headers.AccessControlAllowHeaders = "Authorization, Content-Type, MCP-Protocol-Version";
            headers.AccessControlMaxAge = "600";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        return next(context);
    }
}
