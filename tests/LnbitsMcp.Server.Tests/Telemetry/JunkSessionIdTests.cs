using System.Diagnostics;
using LnbitsMcp.Server.Telemetry;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Telemetry;

/// <summary>Tests that read the process-wide redaction registry run alone, so no other test adds to it meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedactionRegistryCollection
{
    public const string Name = "redaction registry";
}

/// <summary>
/// What callers send as <c>session_id</c> never enters the process-wide redaction registry: thousands
/// of junk values neither grow it (memory, cost per log line) nor push a live secret out of it.
/// </summary>
[Collection(RedactionRegistryCollection.Name)]
public sealed class JunkSessionIdsNeitherGrowNorFlushTheRedactionRegistry(ITestOutputHelper output) : IAsyncLifetime
{
    private Sandbox _sandbox = null!;
    private ServerHost _server = null!;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await Sandbox.StartAsync();
        _server = await ServerHost.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task ThousandsOfJunkSessionIdsRegisterNothingAndALiveKeyStaysRedacted()
    {
        var wallet = await _sandbox.CreateWalletAsync("junk-victim", 1_000);
        await using var client = await _server.ConnectAsync(protocolVersion: null);
        var sessionId = (await client.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;
        await client.CallOkAsync("configure_lnbits", new { session_id = sessionId, lnbits_url = _sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var before = await MedianBalanceCallAsync(client, sessionId);
        var registered = SecretRedactor.RegisteredCount;

        var junk = Enumerable.Range(0, 3_000).Select(i => $"aaaa bbbb {i}")
            .Concat(Enumerable.Range(0, 45).Select(i => string.Concat(Enumerable.Repeat($"x{i:D3}yyyyzzzz ", 900))));
        var sent = 0;
        foreach (var batch in junk.Chunk(25))
        {
            await Task.WhenAll(batch.Select(value => client.CallErrorAsync("get_wallet_balance", "session_not_found", new { session_id = value })));
            sent += batch.Length;
        }

        var after = await MedianBalanceCallAsync(client, sessionId);
        output.WriteLine($"{sent} junk session_id calls; registry {registered} -> {SecretRedactor.RegisteredCount}; get_wallet_balance p50 {before:F2} ms -> {after:F2} ms");
        Assert.True(SecretRedactor.RegisteredCount <= registered + 5, $"the registry grew from {registered} to {SecretRedactor.RegisteredCount}");
        Assert.Equal($"LNbits said: bad key ***", SecretRedactor.Redact($"LNbits said: bad key {wallet.AdminKey}"));
        Assert.Equal("***", SecretRedactor.Redact(sessionId));
    }

    private static async Task<double> MedianBalanceCallAsync(McpClient client, string sessionId)
    {
        var times = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await client.CallOkAsync("get_wallet_balance", new { session_id = sessionId });
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
