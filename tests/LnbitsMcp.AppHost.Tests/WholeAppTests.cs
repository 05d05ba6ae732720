using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.AppHost.Tests;

public sealed class WholeAppTests(WholeAppFixture fixture) : IClassFixture<WholeAppFixture>
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task EdgeServesStreamableHttpMcpFromAServerInstance()
    {
        await using var client = await ConnectAsync(HttpTransportMode.StreamableHttp, "/mcp");

        var result = await client.CallToolAsync("get_session_info").AsTask().WaitAsync(s_callTimeout);

        Assert.NotEqual(true, result.IsError);
        Assert.StartsWith("server", Replica(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EdgeServesLegacySseFromAServerInstance()
    {
        await using var client = await ConnectAsync(HttpTransportMode.Sse, "/sse");

        var tools = await client.ListToolsAsync().AsTask().WaitAsync(s_callTimeout);
        var result = await client.CallToolAsync("get_session_info").AsTask().WaitAsync(s_callTimeout);

        Assert.Contains(tools, tool => tool.Name == "get_session_info");
        Assert.StartsWith("server", Replica(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EverySessionStaysOnOneInstanceBehindTheEdge()
    {
        for (var i = 0; i < 4; i++)
        {
            await using var client = await ConnectAsync(HttpTransportMode.StreamableHttp, "/mcp");
            var replicas = new HashSet<string>();
            for (var call = 0; call < 5; call++)
            {
                replicas.Add(Replica(await client.CallToolAsync("get_session_info").AsTask().WaitAsync(s_callTimeout)));
            }

            Assert.Single(replicas);
        }
    }

    [Fact]
    public void RedisRunsWithoutAContainerOnThisMachine()
    {
        var model = fixture.App.Services.GetService(typeof(DistributedApplicationModel)) as DistributedApplicationModel;
        var redis = Assert.Single(model!.Resources, resource => resource.Name == "redis");

        // No container runtime answers here, so auto mode must pick redis-server or embedded.
        Assert.False(redis.IsContainer());
    }

    private async Task<McpClient> ConnectAsync(HttpTransportMode mode, string path)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(fixture.EdgeHttp, path),
            TransportMode = mode,
        });
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" })
            .WaitAsync(s_callTimeout);
    }

    private static string Replica(CallToolResult result)
    {
        var structured = Assert.IsType<JsonElement>(result.StructuredContent);
        return structured.GetProperty("replica").GetString()!;
    }
}
