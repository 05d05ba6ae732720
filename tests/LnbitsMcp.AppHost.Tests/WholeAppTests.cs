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

    /// <summary>
    /// Run locally, the edge forwards to each server's HTTP/2-only endpoint with prior knowledge (one multiplexed
    /// connection per server); every call through the edge in these tests goes that way, since that endpoint answers
    /// nothing else.
    /// </summary>
    [Fact]
    public async Task TheEdgeReachesTheServersOverHttp2OnTheirHttp2OnlyEndpoints()
    {
        fixture.SkipWhenUnavailable();
        var model = (DistributedApplicationModel)fixture.App.Services.GetService(typeof(DistributedApplicationModel))!;
        var edge = Assert.Single(model.Resources.OfType<ProjectResource>(), resource => resource.Name == "edge");
        var executionContext = (DistributedApplicationExecutionContext)fixture.App.Services.GetService(typeof(DistributedApplicationExecutionContext))!;
        var configuration = await ExecutionConfigurationBuilder.Create(edge).WithEnvironmentVariablesConfig()
            .BuildAsync(executionContext, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        var environment = configuration.EnvironmentVariables.ToDictionary(StringComparer.Ordinal);
        using var http = new HttpClient { Timeout = s_callTimeout };

        Assert.Equal("2", environment["ReverseProxy__Clusters__servers__HttpRequest__Version"]);
        Assert.Equal("RequestVersionExact", environment["ReverseProxy__Clusters__servers__HttpRequest__VersionPolicy"]);
        foreach (var server in new[] { "server0", "server1" })
        {
            var h2c = fixture.App.GetEndpoint(server, LnbitsMcp.AppHost.Extensions.EdgeHttp2Endpoint);
            Assert.Equal(h2c.Port, new Uri(environment[$"ReverseProxy__Clusters__servers__Destinations__{server}__Address"]).Port);
            using var probe = new HttpRequestMessage(HttpMethod.Get, new Uri(h2c, "/health")) { Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            using var overHttp2 = await http.SendAsync(probe);
            using var overHttp11 = await http.GetAsync(new Uri(h2c, "/health"));

            Assert.Equal(System.Net.HttpStatusCode.OK, overHttp2.StatusCode);
            Assert.Equal(System.Net.HttpVersion.Version20, overHttp2.Version);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, overHttp11.StatusCode); // HTTP/1.x refused on that endpoint
        }
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
