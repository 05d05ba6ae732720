using LnbitsMcp.Testing;

namespace LnbitsMcp.Edge.Tests;

/// <summary>An instance dies mid-run: its Streamable HTTP sessions go on elsewhere with the same id and configuration.</summary>
public abstract class FailoverContract(bool http2ToServers) : IAsyncLifetime
{
    private EdgeStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await EdgeStack.StartAsync(servers: 3, http2ToServers: http2ToServers);

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task SessionsOfAStoppedInstanceContinueWithTheSameIdAndConfiguration()
    {
        var wallet = await _stack.Sandbox.CreateWalletAsync("failover", 5_000);
        var clients = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _stack.ConnectAsync()));
        var before = new List<(string Replica, string Hint, string McpSessionId)>();
        foreach (var client in clients)
        {
            await client.CallOkAsync("configure_lnbits", new { lnbits_url = _stack.Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
            var info = await client.CallOkAsync("get_session_info");
            before.Add((info.GetProperty("replica").GetString()!, info.GetProperty("session_hint").GetString()!, client.SessionId!));
        }

        var victim = before[0].Replica;
        await _stack.Servers[int.Parse(victim["server".Length..], System.Globalization.CultureInfo.InvariantCulture)].KillAsync();

        for (var i = 0; i < clients.Length; i++)
        {
            var info = await clients[i].CallOkAsync("get_session_info");
            var balance = await clients[i].CallOkAsync("get_wallet_balance");
            Assert.NotEqual(victim, info.GetProperty("replica").GetString());
            Assert.Equal(before[i].Hint, info.GetProperty("session_hint").GetString());
            Assert.True(info.GetProperty("is_configured").GetBoolean());
            Assert.Equal(5_000, balance.GetProperty("balance_sat").GetInt64());
            Assert.Equal(before[i].McpSessionId, clients[i].SessionId);
        }

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }
}

/// <summary>The edge in front of the servers' HTTP/1.1 addresses.</summary>
public sealed class FailoverTests() : FailoverContract(http2ToServers: false);

/// <summary>The edge in front of the servers' HTTP/2-only ports, as the AppHost runs it: a dead instance's connection refused there too is retried elsewhere.</summary>
public sealed class FailoverOverHttp2Tests() : FailoverContract(http2ToServers: true);
