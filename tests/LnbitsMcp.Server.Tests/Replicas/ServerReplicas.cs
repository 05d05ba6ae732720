using LnbitsMcp.Testing;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Replicas;

/// <summary>Real server processes sharing one real Redis (a node or a cluster), as the AppHost runs them.</summary>
public static class ServerReplicas
{
    public static Task<ServiceProcess> StartAsync(string name, IRedisDeployment redis, IDictionary<string, string?>? settings = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__redis"] = redis.ConnectionString,
            ["Server__ReplicaName"] = name,
            ["Security__AllowPrivateNetworks"] = "true",
            ["Payments__Network"] = "regtest",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return ServiceProcess.StartAsync("LnbitsMcp.Server", ["--host", "127.0.0.1", "--port", "0"], environment);
    }

    /// <param name="logs">where the client's transport and session log (a failing test prints it)</param>
    public static async Task<McpClient> ConnectAsync(Uri server, IDictionary<string, string>? headers = null, ILoggerFactory? logs = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers,
        }, logs);
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" }, logs).WaitAsync(ToolCalls.Timeout);
    }

    /// <summary>Continues an existing MCP session (same Mcp-Session-Id, no new initialize) against <paramref name="server"/>.</summary>
    public static async Task<McpClient> ResumeAsync(Uri server, McpClient previous)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            KnownSessionId = previous.SessionId,
        });
        return await McpClient.ResumeSessionAsync(transport, new ResumeClientSessionOptions
        {
            ServerCapabilities = previous.ServerCapabilities!,
            ServerInfo = previous.ServerInfo!,
            ServerInstructions = previous.ServerInstructions,
            NegotiatedProtocolVersion = previous.NegotiatedProtocolVersion!,
        }).WaitAsync(ToolCalls.Timeout);
    }
}
