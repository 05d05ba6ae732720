using System.Text.Json;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Edge.Tests;

/// <summary>The edge in front of three server processes: sessions spread over instances and stick to one.</summary>
public sealed class SessionRoutingTests : IAsyncLifetime
{
    private EdgeStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await EdgeStack.StartAsync(servers: 3);

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Theory]
    [InlineData(HttpTransportMode.StreamableHttp)]
    [InlineData(HttpTransportMode.Sse)]
    public async Task TenConcurrentSessionsSpreadOverInstancesAndEachStaysOnOne(HttpTransportMode mode)
    {
        var replicasPerSession = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            await using var client = await _stack.ConnectAsync(mode);
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
        var wallet = await _stack.Sandbox.CreateWalletAsync("edge-restart", 1_000);
        var client = await _stack.ConnectAsync();
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = _stack.Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var before = Replica(await client.CallOkAsync("get_session_info"));

        await _stack.Edge.KillAsync();
        await _stack.StartEdgeAsync();
        var after = await client.CallOkAsync("get_session_info");

        Assert.Equal(before, Replica(after));
        Assert.True(after.GetProperty("is_configured").GetBoolean());
        await client.DisposeAsync();
    }

    private static string Replica(JsonElement info) => info.GetProperty("replica").GetString()!;
}
