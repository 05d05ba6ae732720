using System.Diagnostics;
using LnbitsMcp.Testing;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Tests.Replicas;

/// <summary>An instance dies, or Redis restarts: sessions go on without restarting anything else.</summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private Sandbox _sandbox = null!;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync(persistent: true);
        _sandbox = await Sandbox.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task TheSameMcpSessionContinuesOnAnotherInstanceAfterItsInstanceDied()
    {
        var wallet = await _sandbox.CreateWalletAsync("failover", 3_000);
        await using var a = await ServerReplicas.StartAsync("replica-a", _redis);
        await using var b = await ServerReplicas.StartAsync("replica-b", _redis);
        var onA = await ServerReplicas.ConnectAsync(a.Url);
        await onA.CallOkAsync("configure_lnbits", new { lnbits_url = _sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var before = await onA.CallOkAsync("get_session_info");
        var mcpSessionId = onA.SessionId!;

        await a.KillAsync();
        await using var onB = await ServerReplicas.ResumeAsync(b.Url, onA);
        var after = await onB.CallOkAsync("get_session_info");
        var balance = await onB.CallOkAsync("get_wallet_balance");

        Assert.Equal("replica-a", before.GetProperty("replica").GetString());
        Assert.Equal("replica-b", after.GetProperty("replica").GetString());
        Assert.Equal(before.GetProperty("session_hint").GetString(), after.GetProperty("session_hint").GetString());
        Assert.True(after.GetProperty("is_configured").GetBoolean());
        Assert.True(after.GetProperty("bound_to_transport").GetBoolean());
        Assert.Equal(3_000, balance.GetProperty("balance_sat").GetInt64());
        Assert.Equal(mcpSessionId, onB.SessionId);
    }

    [Fact]
    public async Task AnUnknownMcpSessionIdIsRefusedByEveryInstance()
    {
        await using var a = await ServerReplicas.StartAsync("replica-a", _redis);

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(a.Url, "/mcp"))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Accept", "application/json, text/event-stream");
        request.Headers.Add("Mcp-Session-Id", "never-issued-session-id");
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");

        using var response = await http.SendAsync(request);

        Assert.Equal(404, (int)response.StatusCode);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhileRedisIsDownToolsSaySoAndAfterItsRestartTheSameSessionWorks()
    {
        var wallet = await _sandbox.CreateWalletAsync("redis-restart", 1_000);
        await using var server = await ServerReplicas.StartAsync("replica-a", _redis);
        await using var client = await ServerReplicas.ConnectAsync(server.Url);
        var id = (await client.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;
        await client.CallOkAsync("configure_lnbits", new { session_id = id, lnbits_url = _sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });

        await _redis.StopAsync();
        var down = await client.CallUntilErrorAsync("get_wallet_balance", "service_unavailable", TimeSpan.FromSeconds(10), new { session_id = id });
        await client.CallOkAsync("decode_invoice", new { bolt11 = (await _sandbox.ExternalInvoiceAsync(1)).Bolt11 });
        await _redis.RestartAsync();

        var clock = Stopwatch.StartNew();
        CallToolResult result;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            result = await client.CallRawAsync("get_wallet_balance", new { session_id = id });
        }
        while (result.IsError == true && clock.Elapsed < TimeSpan.FromSeconds(45));

        Assert.Contains("Redis", down.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(true, result.IsError);
        Assert.Equal(1_000, result.StructuredContent!.Value.GetProperty("balance_sat").GetInt64());
        Assert.False(server.HasExited);
    }

    [Fact]
    public async Task SpentBudgetAndPaidHashesSurviveARedisRestartAndTheSameSessionGoesOn()
    {
        var wallet = await _sandbox.CreateWalletAsync("aof-restart", 20_000);
        await using var server = await ServerReplicas.StartAsync("replica-a", _redis, new Dictionary<string, string?> { ["Payments__DailyBudgetSats"] = "10000" });
        await using var client = await ServerReplicas.ConnectAsync(server.Url);
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = _sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var hint = (await client.CallOkAsync("get_session_info")).GetProperty("session_hint").GetString();
        var first = await _sandbox.ExternalInvoiceAsync(1_000);
        await client.CallOkAsync("pay_invoice", new { bolt11 = first.Bolt11 });
        await client.CallOkAsync("pay_invoice", new { bolt11 = (await _sandbox.ExternalInvoiceAsync(2_000)).Bolt11 });

        // A crash of Redis loses what it answered but had not yet written (up to 2 s with everysec, README):
        // the writes are given the time to reach the file, then Redis is killed, as a crash would.
        await _redis.WaitUntilAppendOnlyFileHoldsEveryWriteAsync();
        await _redis.StopAsync();
        await _redis.RestartAsync();

        var clock = Stopwatch.StartNew();
        CallToolResult info;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            info = await client.CallRawAsync("get_session_info");
        }
        while (info.IsError == true && clock.Elapsed < TimeSpan.FromSeconds(45));

        Assert.NotEqual(true, info.IsError);
        Assert.Equal(hint, info.StructuredContent!.Value.GetProperty("session_hint").GetString());
        Assert.True(info.StructuredContent!.Value.GetProperty("is_configured").GetBoolean());
        await client.CallErrorAsync("pay_invoice", "already_paid", new { bolt11 = first.Bolt11 });
        var dryRun = await client.CallOkAsync("pay_invoice", new { bolt11 = (await _sandbox.ExternalInvoiceAsync(1)).Bolt11, dry_run = true });
        Assert.Equal(7_000, dryRun.GetProperty("limits").GetProperty("daily_budget_left_sats").GetInt64());
        Assert.Equal("success", (await client.CallOkAsync("pay_invoice", new { bolt11 = (await _sandbox.ExternalInvoiceAsync(500)).Bolt11 })).GetProperty("status").GetString());
    }
}
