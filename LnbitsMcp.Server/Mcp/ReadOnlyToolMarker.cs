using LnbitsMcp.Server.Sessions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// For a session configured with an invoice key, or an OAuth connection without <c>wallet:pay</c>,
/// <c>tools/list</c> marks the paying tools as unavailable (description prefix and <c>_meta</c>), so a
/// model does not try them.
/// </summary>
public static class ReadOnlyToolMarker
{
    public const string MetaKey = "lnbits_mcp/unavailable";
    public const string Prefix = "[Unavailable in this read-only session (invoice key).] ";

    public static McpRequestHandler<ListToolsRequestParams, ListToolsResult> Create(McpRequestHandler<ListToolsRequestParams, ListToolsResult> next) =>
        async (request, cancellationToken) =>
        {
            var result = await next(request, cancellationToken);
            if (request.User is { } user && Auth.Connections.Identify(user) is not null)
            {
                // An OAuth connection: its token's scopes decide (an invoice key or read-only grants wallet:read only).
                if (!Auth.ResourceServerGate.HasScope(user, Auth.OAuthScopes.WalletPay))
                {
                    result.Tools = [.. result.Tools.Select(tool => tool.Annotations?.DestructiveHint == true ? MarkUnavailable(tool) : tool)];
                }

                return result;
            }

            var transport = request.Server.SessionId;
            if (transport is null || request.Services?.GetService<ISessionStore>() is not { } store)
            {
                return result;
            }

            AppSession? session;
            try
            {
                session = await store.FindByTransportAsync(transport, SessionFreshness.Recent, cancellationToken);
            }
            catch (Exception ex) when (RedisFailure.Is(ex))
            {
                return result;
            }

            if (session?.Lnbits?.KeyType != KeyType.Invoice)
            {
                return result;
            }

            result.Tools = [.. result.Tools.Select(tool => tool.Annotations?.DestructiveHint == true ? MarkUnavailable(tool) : tool)];
            return result;
        };

    private static Tool MarkUnavailable(Tool tool) => new()
    {
        Name = tool.Name,
        Title = tool.Title,
        Description = Prefix + tool.Description,
        InputSchema = tool.InputSchema,
        OutputSchema = tool.OutputSchema,
        Annotations = tool.Annotations,
        Icons = tool.Icons,
        Meta = new System.Text.Json.Nodes.JsonObject { [MetaKey] = ToolErrorCodes.ReadOnlySession },
    };
}
