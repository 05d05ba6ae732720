using System.Text.Json;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Edge.Tests;

/// <summary>The edge in front of server processes: sessions spread over instances and stick to one; routes live in Redis.</summary>
public abstract class SessionRoutingContract
{
    protected abstract EdgeStack Stack { get; }

    [Theory]
    [InlineData(HttpTransportMode.StreamableHttp)]
    [InlineData(HttpTransportMode.Sse)]
    public async Task TenConcurrentSessionsSpreadOverInstancesAndEachStaysOnOne(HttpTransportMode mode)
    {
        var replicasPerSession = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            await using var client = await Stack.ConnectAsync(mode);
            var seen = new List<string>();
            for (var call = 0; call < 6; call++)
            {
                seen.Add(Replica(await client.CallOkAsync("get_session_info")));
            }

            return seen;
        }));

        Assert.All(replicasPerSession, seen => Assert.Single(seen.Distinct()));
        Assert.True(replicasPerSession.Select(seen => seen[0]).Distinct().Count() >= 2,
            $"all sessions went to {string.Join(", ", replicasPerSession.Select(seen => seen[0]))}");
    }

    [Fact]
    public async Task RoutesAreKeptInRedisSoARestartedEdgeRoutesTheSameWay()
    {
        var wallet = await Stack.Sandbox.CreateWalletAsync("edge-restart", 1_000);
        var client = await Stack.ConnectAsync();
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = Stack.Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var before = Replica(await client.CallOkAsync("get_session_info"));

        await Stack.Edge.KillAsync();
        await Stack.StartEdgeAsync();
        var after = await client.CallOkAsync("get_session_info");

        Assert.Equal(before, Replica(after));
        Assert.True(after.GetProperty("is_configured").GetBoolean());
        await client.DisposeAsync();
    }

    private static string Replica(JsonElement info) => info.GetProperty("replica").GetString()!;
}

/// <summary>The contract with three server processes on one Redis node, everything started per test.</summary>
public sealed class SessionRoutingTests : SessionRoutingContract, IAsyncLifetime
{
    private EdgeStack _stack = null!;

    protected override EdgeStack Stack => _stack;

    public async ValueTask InitializeAsync() => _stack = await EdgeStack.StartAsync(servers: 3);

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();
}

/// <summary>A Redis Cluster (3 masters + 3 replicas) with two server processes and the edge on it.</summary>
public sealed class EdgeOnRedisCluster : IAsyncLifetime
{
    public RedisCluster Cluster { get; private set; } = null!;

    public EdgeStack Stack { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Cluster = await RedisCluster.StartAsync();
        // One edge serves every test of the class (22 new sessions from 127.0.0.1 within seconds, in any order):
        // more than the default new-session burst of 20, which is not what these tests are about.
        Stack = await EdgeStack.StartAsync(servers: 2, new Dictionary<string, string?> { ["RateLimiting__NewSession__TokenLimit"] = "100" }, redis: Cluster);
    }

    public async ValueTask DisposeAsync()
    {
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

/// <summary>The contract with the edge's route table, the sessions and the servers' state on a Redis Cluster.</summary>
public sealed class SessionRoutingOnRedisClusterTests(EdgeOnRedisCluster fixture) : SessionRoutingContract, IClassFixture<EdgeOnRedisCluster>
{
    protected override EdgeStack Stack => fixture.Stack;

    [Fact]
    public async Task TheEdgeKeepsItsRoutesAndTheServersTheirSessionsInTheCluster()
    {
        await using var client = await Stack.ConnectAsync();
        await client.CallOkAsync("get_session_info");

        var keys = await fixture.Cluster.KeysAsync();

        Assert.Contains(keys, key => key.StartsWith("lnbits-mcp:edge-route:", StringComparison.Ordinal));
        Assert.Contains(keys, key => key.StartsWith("lnbits-mcp:{s:", StringComparison.Ordinal));
        Assert.Contains(keys, key => key.StartsWith("lnbits-mcp:{t:", StringComparison.Ordinal));
        Assert.Contains("lnbits-mcp:data-protection-keys", keys);
    }
}
