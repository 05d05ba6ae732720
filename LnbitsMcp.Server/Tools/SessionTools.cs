using System.ComponentModel;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Sessions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Tools;

[McpServerToolType]
public sealed class SessionTools(SessionAccess access, ISessionStore store, ReplicaIdentity replica, IOptions<SessionsOptions> options)
{
    [McpServerTool(Title = "Create session", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(CreateSessionResult))]
    [Description("Creates a new private session and returns its session_id (a secret: keep it, pass it as session_id to other tools). " +
        "Needed by clients without an MCP session (stateless Streamable HTTP); clients with one get a session automatically. " +
        "A session expires after being idle for the idle timeout.")]
    public async Task<CallToolResult> CreateSessionAsync(CancellationToken cancellationToken)
    {
        var call = access.Call;
        var created = await store.CreateAsync(new SessionCreation(call.Owner, call.ClientAddress), cancellationToken);
        call.Session = created.Session;
        return ToolResults.Success(new CreateSessionResult(created.SessionId, created.ExpiresAt, (long)options.Value.IdleTimeout.TotalSeconds));
    }

    [McpServerTool(Title = "Session info", ReadOnly = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(SessionInfoResult))]
    [Description("Reports the session this call uses: a non-secret session_hint (give it to an operator to find your traces), " +
        "created/last-accessed/expiry times, whether LNbits is configured, whether the session is bound to this MCP connection, " +
        "and which server replica answered.")]
    public async Task<CallToolResult> GetSessionInfoAsync(CancellationToken cancellationToken)
    {
        var session = await access.RequireSessionAsync(cancellationToken);
        return ToolResults.Success(new SessionInfoResult(
            session.Hint,
            session.CreatedAt,
            session.LastAccessedAt,
            session.LastAccessedAt + (session.IdleTimeout ?? options.Value.IdleTimeout),
            IsConfigured: session.Lnbits is not null,
            BoundToTransport: access.Call.BoundToTransport,
            replica.Name,
            access.Call.OAuthScopes is null ? null : "oauth",
            access.Call.OAuthScopes));
    }
}
