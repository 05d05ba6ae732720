using System.ComponentModel;
using ModelContextProtocol.Server;

using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Tools;

[McpServerToolType]
public sealed class SessionTools(ReplicaIdentity replica)
{
    [McpServerTool(Name = "get_session_info", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Reports the session this call uses: a non-secret session hint, times, whether LNbits is configured, and which server replica answered.")]
    public SessionInfoResult GetSessionInfo(McpServer server) =>
        new(Replica: replica.Name, BoundToTransport: server.SessionId is not null);
}

public sealed record SessionInfoResult(string Replica, bool BoundToTransport);
