using System.Text.Json;
using LnbitsMcp.Server.Mcp;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Auth;

/// <summary>
/// Guards the MCP endpoints (<c>/mcp</c>, <c>/sse</c>, <c>/message</c>) and the REST route (<c>/tools</c>): a bearer token must be valid, issued for
/// this server's MCP URL (RFC 8707 audience) and, for built-in tokens, belong to a live connection (from the moment a
/// revocation answers, on every instance: <see cref="ConnectionLiveness"/>); mode <c>required</c> refuses requests without a token; a
/// <c>tools/call</c> of a paying tool without <c>wallet:pay</c> is refused with 403 before it reaches the tool.
/// Cookies never authenticate these requests: only the Authorization header is read.
/// </summary>
public sealed class ResourceServerGate(
    IOptions<AuthOptions> options,
    IOptions<McpServerOptions> mcpOptions,
    PublicUrls urls,
    IServiceProvider services)
{
    private HashSet<string>? _payingTools;

    /// <summary>
    /// Requests that carry no bearer token pass (or are challenged in mode <c>required</c>) without an async layer of
    /// their own: an anonymous tool call then costs no state machine or continuation here.
    /// </summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next, bool builtInIssuer)
    {
        if (!ToolCallAuthentication.IsToolCallPath(context))
        {
            return next(context);
        }

        if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return options.Value.Mode == AuthMode.Required
                ? BearerChallenge.UnauthorizedAsync(context, urls.ResourceMetadata(context.Request), invalidToken: false,
                    "This server needs an OAuth access token: connect through its authorization server.")
                : next(context);
        }

        return CheckBearerAsync(context, next, builtInIssuer);
    }

    private async Task CheckBearerAsync(HttpContext context, RequestDelegate next, bool builtInIssuer)
    {
        var user = context.User;
        string Metadata() => urls.ResourceMetadata(context.Request); // only a refusal names it
        if (user.Identity?.IsAuthenticated != true)
        {
            await BearerChallenge.UnauthorizedAsync(context, Metadata(), invalidToken: true, "The bearer token is invalid or expired.");
            return;
        }

        if (builtInIssuer)
        {
            var audience = urls.McpResource(context.Request);
            if (!HasAudience(user, audience))
            {
                await BearerChallenge.UnauthorizedAsync(context, Metadata(), invalidToken: true, "The bearer token was issued for another resource.");
                return;
            }

            var connections = services.GetRequiredService<Connections>();
            if (!await connections.TouchAsync(user, context.RequestAborted))
            {
                await BearerChallenge.UnauthorizedAsync(context, Metadata(), invalidToken: true, "This connection was revoked or has expired. Connect again.");
                return;
            }

            if (!HasScope(user, OAuthScopes.WalletPay) && await PayingToolCalledAsync(context.Request) is { } tool)
            {
                await BearerChallenge.InsufficientScopeAsync(context, Metadata(), tool);
                return;
            }
        }

        await next(context);
    }

    /// <summary>Whether the token grants <paramref name="scope"/> (one of <see cref="Scopes"/>); asked on every call, so without allocating.</summary>
    public static bool HasScope(System.Security.Claims.ClaimsPrincipal user, string scope)
    {
        if (scope is OfflineAccess or "")
        {
            return false;
        }

        foreach (var claim in user.Claims)
        {
            if (IsScopeClaim(claim))
            {
                var value = claim.Value.AsSpan();
                foreach (var part in value.Split(' '))
                {
                    if (value[part].SequenceEqual(scope))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The token's scopes (OpenIddict's private <c>oi_scp</c> claims, one per scope, or a JWT's space-separated
    /// <c>scope</c>), each once, in the order they come, <c>offline_access</c> left out.
    /// </summary>
    public static IReadOnlyList<string> Scopes(System.Security.Claims.ClaimsPrincipal user)
    {
        List<string> scopes = [];
        foreach (var claim in user.Claims)
        {
            if (!IsScopeClaim(claim))
            {
                continue;
            }

            if (!claim.Value.Contains(' ', StringComparison.Ordinal))
            {
                AddOnce(scopes, claim.Value); // one scope per claim, as OpenIddict writes them: nothing to split
                continue;
            }

            foreach (var scope in claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                AddOnce(scopes, scope);
            }
        }

        return scopes;

        static void AddOnce(List<string> scopes, string scope)
        {
            if (scope is not (OfflineAccess or "") && !scopes.Contains(scope, StringComparer.Ordinal))
            {
                scopes.Add(scope);
            }
        }
    }

    private const string OfflineAccess = "offline_access";

    private static bool IsScopeClaim(System.Security.Claims.Claim claim) => claim.Type is "scope" or "oi_scp";

    /// <summary>Whether the token was issued for <paramref name="audience"/> (a JWT's <c>aud</c>, OpenIddict's private <c>oi_aud</c>).</summary>
    private static bool HasAudience(System.Security.Claims.ClaimsPrincipal user, string audience)
    {
        foreach (var claim in user.Claims)
        {
            if (claim.Type is "aud" or "oi_aud" && string.Equals(claim.Value, audience, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The paying tool a POST calls, if any: the REST route names it in its path; a JSON-RPC POST in its body (read
    /// and rewound; the request guards cap its size).
    /// </summary>
    private async Task<string?> PayingToolCalledAsync(HttpRequest request)
    {
        if (Rest.RestToolEndpoints.ToolName(request.Path) is { } restTool)
        {
            return PayingTools().Contains(restTool) ? restTool : null;
        }

        if (!HttpMethods.IsPost(request.Method) || request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        request.EnableBuffering();
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            var messages = document.RootElement.ValueKind == JsonValueKind.Array ? [.. document.RootElement.EnumerateArray()] : new[] { document.RootElement };
            foreach (var message in messages)
            {
                if (message.ValueKind == JsonValueKind.Object
                    && message.TryGetProperty("method", out var method) && method.ValueEquals("tools/call")
                    && message.TryGetProperty("params", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                    && parameters.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                    && PayingTools().Contains(name.GetString()!))
                {
                    return name.GetString();
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null; // the MCP handler answers malformed JSON-RPC itself
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private HashSet<string> PayingTools() => _payingTools ??= [.. (mcpOptions.Value.ToolCollection ?? [])
        .Where(t => t.ProtocolTool.Annotations?.DestructiveHint == true)
        .Select(t => t.ProtocolTool.Name)];
}
