using LnbitsMcp.Server.Tools;
using ModelContextProtocol.AspNetCore;

namespace LnbitsMcp.Server.Mcp;

public static class McpServerExtensions
{
    /// <summary>
    /// The MCP server: Streamable HTTP in the hybrid mode (clients that initialize get an
    /// Mcp-Session-Id, session-less protocol revisions are served statelessly) plus legacy SSE.
    /// </summary>
    public static IHostApplicationBuilder AddLnbitsMcpServer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMcpServer(options =>
            {
                options.ServerInfo = new() { Name = "lnbits-mcp", Version = ServerVersion.Current };
            })
            .WithHttpTransport(options =>
            {
                options.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
#pragma warning disable MCP9004 // Legacy HTTP+SSE is part of our contract (the seed's /sse endpoint).
                options.EnableLegacySse = true;
#pragma warning restore MCP9004
            })
            .WithTools<SessionTools>();
        builder.Services.AddSingleton<ReplicaIdentity>();
        return builder;
    }
}
