using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.AppHost.Tests;

/// <summary>The whole app through its edge, whichever way Redis runs (see the sealed classes below).</summary>
public abstract class WholeAppTests(WholeAppFixture fixture)
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(60);

    protected WholeAppFixture Fixture => fixture;

    [Fact]
    public async Task EdgeServesStreamableHttpMcpFromAServerInstance()
    {
        fixture.SkipWhenUnavailable();
        await using var client = await ConnectAsync(HttpTransportMode.StreamableHttp, "/mcp");

        var result = await client.CallToolAsync("get_session_info").AsTask().WaitAsync(s_callTimeout);

        Assert.NotEqual(true, result.IsError);
        Assert.StartsWith("server", Replica(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EdgeServesLegacySseFromAServerInstance()
    {
        fixture.SkipWhenUnavailable();
        await using var client = await ConnectAsync(HttpTransportMode.Sse, "/sse");

        var tools = await client.ListToolsAsync().AsTask().WaitAsync(s_callTimeout);
        var result = await client.CallToolAsync("get_session_info").AsTask().WaitAsync(s_callTimeout);

        Assert.Contains(tools, tool => tool.Name == "get_session_info");
        Assert.StartsWith("server", Replica(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EverySessionStaysOnOneInstanceBehindTheEdge()
    {
        fixture.SkipWhenUnavailable();
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
    public async Task AUserConfiguresTheSandboxThroughTheEdgeAndReadsTheWallet()
    {
        fixture.SkipWhenUnavailable();
        using var sandbox = new HttpClient { BaseAddress = fixture.App.GetEndpoint("lnbits", "http") };
        using var created = await sandbox.PostAsJsonAsync("/sandbox/wallets", new { name = "apphost-user", balance_sat = 1234 });
        var wallet = await created.Content.ReadFromJsonAsync<JsonElement>();
        await using var client = await ConnectAsync(HttpTransportMode.StreamableHttp, "/mcp");

        // No lnbits_url: the AppHost gives the servers the sandbox's URL as the operator default.
        var configured = await client.CallOkAsync("configure_lnbits", new { api_key = wallet.GetProperty("adminkey").GetString() });
        var balance = await client.CallOkAsync("get_wallet_balance");

        Assert.Equal("apphost-user", configured.GetProperty("wallet_name").GetString());
        Assert.Equal(1234, balance.GetProperty("balance_sat").GetInt64());
    }

    protected IResource RedisResource()
    {
        var model = fixture.App.Services.GetService(typeof(DistributedApplicationModel)) as DistributedApplicationModel;
        return Assert.Single(model!.Resources, resource => resource.Name == "redis");
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
