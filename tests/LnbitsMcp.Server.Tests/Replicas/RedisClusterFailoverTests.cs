using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Testing;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Tests.Replicas;

/// <summary>
/// Masters of a Redis Cluster die under two server processes: while a slot has no master calls say
/// <c>service_unavailable</c> and pay nothing; after a replica took over, every session, every paid hash
/// and the spent budget are still there, and the same sessions go on without restarting anything.
/// </summary>
public sealed class RedisClusterFailoverTests(RedisClusterServers stack) : IClassFixture<RedisClusterServers>
{
    private static readonly TimeSpan s_recovery = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task AfterTheMastersOfASessionAndOfItsLedgerFailOverNoSessionIsLostTheBudgetStaysAndAnInvoiceIsPaidOnce()
    {
        var wallet = await stack.Sandbox.CreateWalletAsync("cluster-failover", 100_000);
        var clientLogs = new CapturedLogs(withSource: true);
        using var logging = LoggerFactory.Create(logs => logs.SetMinimumLevel(LogLevel.Debug).AddProvider(clientLogs));
        await using var onA = await ServerReplicas.ConnectAsync(stack.A.Url, logs: logging);
        await using var onB = await ServerReplicas.ConnectAsync(stack.B.Url, logs: logging);
        await using var bound = await ServerReplicas.ConnectAsync(stack.A.Url, logs: logging);
        var sessions = new List<(string Id, string Hint)>();
        for (var i = 0; i < 24; i++)
        {
            var client = i % 2 == 0 ? onA : onB;
            var id = (await client.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;
            await client.CallOkAsync("configure_lnbits", new { session_id = id, lnbits_url = stack.Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
            sessions.Add((id, SessionId.Hint(id)));
        }

        await bound.CallOkAsync("configure_lnbits", new { lnbits_url = stack.Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var boundHint = (await bound.CallOkAsync("get_session_info")).GetProperty("session_hint").GetString();
        var payer = sessions[0].Id;
        var ledgersBefore = LedgerTags(await stack.Cluster.KeysAsync());
        for (var i = 0; i < 3; i++)
        {
            await onA.CallOkAsync("pay_invoice", new { session_id = payer, bolt11 = (await stack.Sandbox.ExternalInvoiceAsync(1_000)).Bolt11 });
        }

        var ledgerTag = Assert.Single(LedgerTags(await stack.Cluster.KeysAsync()).Except(ledgersBefore));

        // Load on every session (and payments by the payer) while the two masters die one after the other.
        var outcomes = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        var unavailableAt = new ConcurrentBag<TimeSpan>();
        var paidDuringLoad = new ConcurrentBag<(string Hash, string Outcome)>();
        var unanswered = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var calls = new LoadCalls(clock, unanswered);
        var load = Task.WhenAll(
            Enumerable.Range(0, 3).Select(worker => LoadAsync(calls, worker % 2 == 0 ? onA : onB, sessions.Skip(worker).Where((_, n) => n % 3 == 0).Select(s => s.Id).ToList(), outcomes, stop.Token))
                .Append(LoadAsync(calls, bound, [null], outcomes, stop.Token))
                .Append(WatchAsync(calls, onA, payer, unavailableAt, stop.Token))
                .Append(PayLoadAsync(calls, onB, payer, paidDuringLoad, stop.Token)));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var killedAt = new List<TimeSpan>();
        foreach (var key in new[] { RedisKeys.Session(SessionId.Key(payer)), ledgerTag })
        {
            killedAt.Add(clock.Elapsed);
            await FailOverAsync(await stack.Cluster.MasterOfAsync(key));
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await load.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(unanswered.IsEmpty, $"Calls without an answer within {ToolCalls.Timeout.TotalSeconds} s: {string.Join("; ", unanswered)} (failovers began at {string.Join(", ", killedAt.Select(t => $"{t.TotalSeconds:F1} s"))}).\n"
            + $"The servers logged:\n{Warnings()}\nThe clients logged, besides each call's routine lines:\n{string.Join('\n', clientLogs.Lines.Where(line => !IsRoutine(line)).Take(200))}");

        // Every session is still there, configured, bound where it was bound.
        foreach (var (id, hint) in sessions)
        {
            var info = await onB.CallOkAsync("get_session_info", new { session_id = id });
            Assert.Equal(hint, info.GetProperty("session_hint").GetString());
            Assert.True(info.GetProperty("is_configured").GetBoolean());
        }

        var boundInfo = await bound.CallOkAsync("get_session_info");
        Assert.Equal(boundHint, boundInfo.GetProperty("session_hint").GetString());
        Assert.True(boundInfo.GetProperty("is_configured").GetBoolean());

        // While a slot had no master, calls said so: never internal_error, never anything else (the servers' log says what was thrown).
        var unexpected = outcomes.Concat(paidDuringLoad.Select(p => p.Outcome)).Where(outcome => outcome is not ("ok" or "service_unavailable")).ToList();
        Assert.True(unexpected.Count == 0, $"Outcomes other than ok and service_unavailable: {string.Join(", ", unexpected)}.\nThose calls' answers:\n{string.Join('\n', calls.Unexpected)}\n"
            + $"The servers logged as tool faults:\n{Faults()}\nThe servers' warnings and errors:\n{Warnings()}");
        Assert.Contains("ok", outcomes);
        Assert.Contains("service_unavailable", outcomes); // the load did meet the failovers
        for (var i = 0; i < killedAt.Count; i++)
        {
            var (from, to) = (killedAt[i], i + 1 < killedAt.Count ? killedAt[i + 1] : clock.Elapsed);
            var window = unavailableAt.Where(t => t >= from && t < to).DefaultIfEmpty(from).Max() - from;
            TestContext.Current.TestOutputHelper?.WriteLine($"failover {i + 1}: the payer's session answered service_unavailable until {window.TotalSeconds:F1} s after the kill");
        }

        // What was answered as paid was paid once; what was answered service_unavailable was not paid.
        var sandboxPayments = (await stack.Sandbox.PaymentsAsync(wallet)).Select(p => p.GetProperty("payment_hash").GetString()!).ToList();
        foreach (var (hash, outcome) in paidDuringLoad)
        {
            Assert.Equal(outcome == "ok" ? 1 : 0, sandboxPayments.Count(paid => paid == hash));
        }

        // The budget remembers everything paid (3 × 1000 sats before, 10 sats per payment during the load).
        var spentSats = 3_000 + (10 * paidDuringLoad.Count(p => p.Outcome == "ok"));
        var dryRun = await onA.CallOkAsync("pay_invoice", new { session_id = payer, bolt11 = (await stack.Sandbox.ExternalInvoiceAsync(1)).Bolt11, dry_run = true });
        Assert.InRange(dryRun.GetProperty("limits").GetProperty("daily_budget_left_sats").GetInt64(), 0, 10_000 - spentSats);

        // Twenty concurrent pays of one invoice over both instances pay it once.
        var invoice = await stack.Sandbox.ExternalInvoiceAsync(500);
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? onA : onB).CallRawAsync("pay_invoice", new { session_id = payer, bolt11 = invoice.Bolt11 })));
        Assert.Single(results, r => r.IsError != true);
        Assert.Equal(19, results.Count(r => r.IsError == true && Code(r) == "already_paid"));
        Assert.Single(await stack.Sandbox.PaymentsAsync(wallet), p => p.GetProperty("payment_hash").GetString() == invoice.PaymentHash);
    }

    [Fact]
    public async Task WhileASlotHasNoMasterCallsAnswerServiceUnavailablePayNothingAndRecoverByThemselves()
    {
        var wallet = await stack.Sandbox.CreateWalletAsync("cluster-down", 5_000);
        await using var client = await ServerReplicas.ConnectAsync(stack.A.Url);
        await using var bound = await ServerReplicas.ConnectAsync(stack.B.Url);
        var id = (await client.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;
        await client.CallOkAsync("configure_lnbits", new { session_id = id, lnbits_url = stack.Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        await bound.CallOkAsync("configure_lnbits", new { lnbits_url = stack.Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var master = await stack.Cluster.MasterOfAsync(RedisKeys.Session(SessionId.Key(id)));
        var shard = new[] { master }.Concat(await stack.Cluster.ReplicasOfAsync(master)).ToList();
        var invoice = await stack.Sandbox.ExternalInvoiceAsync(100);

        foreach (var node in shard)
        {
            await RedisCluster.KillAsync(node);
        }

        try
        {
            await stack.Cluster.WaitUntilDownAsync();
            var balance = await client.CallErrorAsync("get_wallet_balance", "service_unavailable", new { session_id = id });
            await client.CallErrorAsync("pay_invoice", "service_unavailable", new { session_id = id, bolt11 = invoice.Bolt11 });
            await bound.CallErrorAsync("get_wallet_balance", "service_unavailable");
            await bound.CallErrorAsync("pay_invoice", "service_unavailable", new { bolt11 = invoice.Bolt11 });
            await client.CallErrorAsync("create_session", "service_unavailable");
            await client.CallOkAsync("decode_invoice", new { bolt11 = invoice.Bolt11 });

            Assert.Contains("nothing was paid", balance.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(5_000_000, await stack.Sandbox.BalanceMsatAsync(wallet));
        }
        finally
        {
            foreach (var node in shard)
            {
                await RedisCluster.RestartAsync(node);
            }

            await stack.Cluster.WaitUntilHealthyAsync();
        }

        var recovered = await UntilOkAsync(client, "get_wallet_balance", new { session_id = id });
        Assert.Equal(5_000, recovered.GetProperty("balance_sat").GetInt64());
        Assert.Equal(5_000, (await UntilOkAsync(bound, "get_wallet_balance", null)).GetProperty("balance_sat").GetInt64());
        var paid = await client.CallOkAsync("pay_invoice", new { session_id = id, bolt11 = invoice.Bolt11 });
        Assert.Equal("success", paid.GetProperty("status").GetString());
        Assert.False(stack.A.HasExited || stack.B.HasExited);
    }

    [Fact]
    public async Task ASessionWhoseSlotMovesToAnotherMasterIsFollowedThroughAskAndMoved()
    {
        var wallet = await stack.Sandbox.CreateWalletAsync("cluster-reshard", 3_000);
        await using var client = await ServerReplicas.ConnectAsync(stack.A.Url);
        var id = (await client.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;
        await client.CallOkAsync("configure_lnbits", new { session_id = id, lnbits_url = stack.Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var key = RedisKeys.Session(SessionId.Key(id));
        var source = await stack.Cluster.MasterOfAsync(key);
        var target = (await stack.Cluster.MastersAsync()).First(master => master.Port != source.Port);
        await RedisProcess.CliAsync(source.Port, "config", "resetstat");

        // Keys already moved, slot still the old master's: it answers ASK, which the client follows.
        JsonElement? duringMigration = null;
        await stack.Cluster.MoveSlotAsync(RedisCluster.ClusterSlot(key), target, async () =>
            duringMigration = await client.CallOkAsync("get_session_info", new { session_id = id }));
        await stack.Cluster.WaitUntilHealthyAsync();
        var afterMove = await client.CallOkAsync("get_wallet_balance", new { session_id = id });
        var redirects = await RedisProcess.CliAsync(source.Port, "info", "errorstats");

        Assert.Contains("errorstat_ASK:", redirects, StringComparison.Ordinal);
        Assert.Contains("errorstat_MOVED:", redirects, StringComparison.Ordinal);
        Assert.Equal(target.Port, (await stack.Cluster.MasterOfAsync(key)).Port);
        Assert.True(duringMigration!.Value.GetProperty("is_configured").GetBoolean());
        Assert.Equal(SessionId.Hint(id), duringMigration.Value.GetProperty("session_hint").GetString());
        Assert.Equal(3_000, afterMove.GetProperty("balance_sat").GetInt64());
    }

    /// <summary>Kills a master, waits until its replica took over, then brings it back (as a replica) and waits until it is in sync.</summary>
    private async Task FailOverAsync(RedisCluster.Node master)
    {
        await RedisCluster.KillAsync(master);
        await stack.Cluster.WaitUntilHealthyAsync(s_recovery);
        await RedisCluster.RestartAsync(master);
        await stack.Cluster.WaitUntilHealthyAsync(s_recovery);
    }

    /// <summary>The ledgers in the cluster, each as a key in its slot (<c>lnbits-mcp:{ledger:…}</c>), whatever a ledger is keyed by.</summary>
    private static IReadOnlyList<string> LedgerTags(IReadOnlyList<string> keys) =>
        [.. keys.Where(key => key.StartsWith(RedisKeys.Prefix + "{ledger:", StringComparison.Ordinal))
            .Select(key => key[..(key.IndexOf('}', StringComparison.Ordinal) + 1)])
            .Distinct()];

    /// <summary>
    /// What the servers' log says their tools threw (both kinds of fault: Redis unavailable, answered
    /// service_unavailable, and the rest, answered internal_error), each kind once with its count, for a failure message.
    /// </summary>
    private string Faults() =>
        string.Join('\n', (stack.A.Output + "\n" + stack.B.Output).Split('\n')
            .Where(line => line.Contains("failed unexpectedly with", StringComparison.Ordinal))
            .Select(line => line[line.IndexOf("Tool ", StringComparison.Ordinal)..].Split(" (session")[0].Trim())
            .GroupBy(fault => fault)
            .Select(kind => $"{kind.Count()} × {kind.Key}"));

    /// <summary>
    /// What the servers logged as warnings and errors (each message once, with the server that logged it and its
    /// count), for a failure message.
    /// </summary>
    private string Warnings() =>
        string.Join('\n', stack.A.Problems().Select(problem => "A " + problem).Concat(stack.B.Problems().Select(problem => "B " + problem))
            .GroupBy(warning => warning)
            .Select(kind => $"{kind.Count()} × {kind.Key}"));

    /// <summary>What the SDK's client logs for every call answered at once and every notification (at debug level), and its warning that it sends no Mcp-Param headers.</summary>
    private static bool IsRoutine(string clientLogLine) =>
        new[] { "sending method", "waiting for response to request", "read JsonRpcResponse message", "read JsonRpcNotification message", "sending message.", "Request response received", "transport received message with ID", "not found in cache" }
            .Any(routine => clientLogLine.Contains(routine, StringComparison.Ordinal));

    /// <summary>
    /// The load's calls: a call that gets no answer within <see cref="ToolCalls.Timeout"/> is noted (which tool, which
    /// client, when it began) and counts as no result, so that the test says all it can about it instead of ending there.
    /// </summary>
    private sealed class LoadCalls(Stopwatch clock, ConcurrentBag<string> unanswered)
    {
        public Stopwatch Clock => clock;

        /// <summary>The answers with an error other than <c>service_unavailable</c>: which tool, when, and the answer's text (with its trace id).</summary>
        public ConcurrentBag<string> Unexpected { get; } = [];

        public async Task<CallToolResult?> CallAsync(McpClient client, string tool, object? arguments)
        {
            var began = clock.Elapsed;
            try
            {
                var result = await client.CallRawAsync(tool, arguments);
                // Read without assuming structured content: this is for the failure message only, the load's own checks decide.
                if (result.IsError == true && ErrorCodeOrNull(result) != "service_unavailable")
                {
                    Unexpected.Add($"{tool} on MCP session {client.SessionId} began at {began.TotalSeconds:F1} s: {ToolCalls.Text(result)}");
                }

                return result;
            }
            catch (TimeoutException)
            {
                unanswered.Add($"{tool} on MCP session {client.SessionId} began at {began.TotalSeconds:F1} s");
                return null;
            }
        }
    }

    /// <param name="sessionIds">the sessions to call (null: the client's own transport-bound session)</param>
    private static async Task LoadAsync(LoadCalls calls, McpClient client, IReadOnlyList<string?> sessionIds, ConcurrentBag<string> outcomes, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var id = sessionIds[n % sessionIds.Count];
            if (await calls.CallAsync(client, "get_session_info", id is null ? null : new { session_id = id }) is { } result)
            {
                outcomes.Add(result.IsError == true ? Code(result) : "ok");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }

    /// <summary>Calls the payer's session every 50 ms and notes when it was unavailable (a measurement, not an assertion).</summary>
    private static async Task WatchAsync(LoadCalls calls, McpClient client, string sessionId, ConcurrentBag<TimeSpan> unavailableAt, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (await calls.CallAsync(client, "get_wallet_balance", new { session_id = sessionId }) is { IsError: true })
            {
                unavailableAt.Add(calls.Clock.Elapsed);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }
    }

    private async Task PayLoadAsync(LoadCalls calls, McpClient client, string sessionId, ConcurrentBag<(string Hash, string Outcome)> paid, CancellationToken stop)
    {
        for (var n = 0; n < 40 && !stop.IsCancellationRequested; n++)
        {
            var invoice = await stack.Sandbox.ExternalInvoiceAsync(10);
            var result = await calls.CallAsync(client, "pay_invoice", new { session_id = sessionId, bolt11 = invoice.Bolt11 });
            paid.Add((invoice.PaymentHash, result is null ? "no answer" : result.IsError == true ? Code(result) : "ok"));
            await Task.Delay(TimeSpan.FromMilliseconds(150), CancellationToken.None);
        }
    }

    private static async Task<JsonElement> UntilOkAsync(McpClient client, string tool, object? arguments)
    {
        var clock = Stopwatch.StartNew();
        CallToolResult result;
        while (true)
        {
            result = await client.CallRawAsync(tool, arguments);
            if (result.IsError != true || clock.Elapsed > s_recovery)
            {
                break;
            }

            Assert.Equal("service_unavailable", Code(result));
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        Assert.False(result.IsError == true, ToolCalls.Text(result));
        return result.StructuredContent!.Value;
    }

    private static string? ErrorCodeOrNull(CallToolResult result) =>
        result.StructuredContent is { ValueKind: JsonValueKind.Object } content && content.TryGetProperty("error", out var error)
        && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var code) ? code.GetString() : null;

    private static string Code(CallToolResult result) =>
        result.StructuredContent!.Value.GetProperty("error").GetProperty("code").GetString()!;
}
