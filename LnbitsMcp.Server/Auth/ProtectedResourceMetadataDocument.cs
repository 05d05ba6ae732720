using LnbitsMcp.Server.Mcp;
using ModelContextProtocol.AspNetCore.Authentication;
using ModelContextProtocol.Authentication;

namespace LnbitsMcp.Server.Auth;

/// <summary>
/// RFC 9728 protected resource metadata, served by the MCP SDK's authentication handler at
/// <c>/.well-known/oauth-protected-resource</c> and <c>…/mcp</c> (other suffixes: 404). The resource is
/// always the canonical MCP URL; the authorization server is this server or the external issuer.
/// </summary>
public static class ProtectedResourceMetadataDocument
{
    public static Task DescribeAsync(ResourceMetadataRequestContext context, CallerAuthOptions jwt)
    {
        var request = context.HttpContext.Request;
        var suffix = request.Path.Value?[PublicUrls.ProtectedResourcePath.Length..].TrimEnd('/') ?? string.Empty;
        if (suffix.Length > 0 && suffix != McpEndpoints.StreamableHttpPath)
        {
            context.SkipHandler();
            return Task.CompletedTask;
        }

        var urls = context.HttpContext.RequestServices.GetRequiredService<PublicUrls>();
        var issuer = jwt.Enabled && jwt.Authority is { Length: > 0 } authority ? authority.TrimEnd('/') : urls.Base(request);
        context.ResourceMetadata = new ProtectedResourceMetadata
        {
            Resource = urls.McpResource(request),
            AuthorizationServers = [issuer],
            ScopesSupported = [.. OAuthScopes.Supported],
            BearerMethodsSupported = ["header"],
            ResourceName = "LNbits wallet (MCP)",
            ResourceDocumentation = urls.Absolute(request, "/connections"),
        };
        return Task.CompletedTask;
    }
}
