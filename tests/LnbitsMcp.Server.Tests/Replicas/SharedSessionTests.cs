using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.Replicas;

/// <summary>
/// Two server processes and one Redis (a node, or a cluster): a session made on one instance is used
/// on the other; payments stay atomic; Redis holds no secret.
/// </summary>
public abstract class SharedSessionContract
{
    /// <summary>The limits both instances run with.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Limits = new Dictionary<string, string?>
    {
        ["Payments__DailyBudgetSats"] = "10000",
        ["Payments__MaxPaymentsPerHour"] = "1000",
    };

    protected abstract IRedisDeployment Redis { get; }

    protected abstract Sandbox Sandbox { get; }

    protected abstract ServiceProcess A { get; }

    protected abstract ServiceProcess B { get; }

    [Fact]
    public async Task InstancesStartedTogetherOnAnEmptyRedisSealWithOneDataProtectionKey()
    {
        var dump = await Redis.DumpAsync();

        Assert.Single(dump, value => value.StartsWith("<key id=", StringComparison.Ordinal));
        Assert.DoesNotContain(RedisKeys.DataProtectionKeysLock, dump);
    }

    [Fact]
    public async Task ASessionCreatedOnOneInstanceIsUsedOnTheOtherBySessionId()
    {
        var wallet = await Sandbox.CreateWalletAsync("shared-by-id", 2_000);
        await using var onA = await ServerReplicas.ConnectAsync(A.Url);
        await using var onB = await ServerReplicas.ConnectAsync(B.Url);

        var id = (await onA.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;
        await onA.CallOkAsync("configure_lnbits", new { session_id = id, lnbits_url = Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var info = await onB.CallOkAsync("get_session_info", new { session_id = id });
        var balance = await onB.CallOkAsync("get_wallet_balance", new { session_id = id });

        Assert.Equal("replica-b", info.GetProperty("replica").GetString());
        Assert.True(info.GetProperty("is_configured").GetBoolean());
        Assert.Equal(2_000, balance.GetProperty("balance_sat").GetInt64());
    }

    [Fact]
    public async Task TwentyParallelPaysOfOneInvoiceAcrossTwoInstancesPayOnce()
    {
        var wallet = await Sandbox.CreateWalletAsync("shared-payer", 10_000);
        await using var onA = await ServerReplicas.ConnectAsync(A.Url);
        await using var onB = await ServerReplicas.ConnectAsync(B.Url);
        var id = (await onA.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;
        await onA.CallOkAsync("configure_lnbits", new { session_id = id, lnbits_url = Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var invoice = await Sandbox.ExternalInvoiceAsync(500);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? onA : onB).CallRawAsync("pay_invoice", new { session_id = id, bolt11 = invoice.Bolt11 })));

        var paid = results.Count(r => r.IsError != true);
        var codes = results.Where(r => r.IsError == true).Select(r => r.StructuredContent!.Value.GetProperty("error").GetProperty("code").GetString() ?? "?").ToList();
        Assert.True(paid == 1 && codes.Count(code => code == "already_paid") == 19,
            $"paid {paid}, refused with {string.Join(", ", codes.CountBy(code => code).Select(c => $"{c.Key} ×{c.Value}"))}; the servers' warnings and errors:\n{ServerProblems()}");
        Assert.InRange(await Sandbox.BalanceMsatAsync(wallet), 10_000_000 - 500_000 - 10_000, 10_000_000 - 500_000);
    }

    [Fact]
    public async Task FiftyConcurrentPaymentsAcrossTwoInstancesNeverExceedTheDailyBudget()
    {
        var wallet = await Sandbox.CreateWalletAsync("budgeted", 100_000);
        await using var onA = await ServerReplicas.ConnectAsync(A.Url);
        await using var onB = await ServerReplicas.ConnectAsync(B.Url);
        var id = (await onA.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;
        await onA.CallOkAsync("configure_lnbits", new { session_id = id, lnbits_url = Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var invoices = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Sandbox.ExternalInvoiceAsync(1_000)));

        var results = await Task.WhenAll(invoices.Select((invoice, i) =>
            (i % 2 == 0 ? onA : onB).CallRawAsync("pay_invoice", new { session_id = id, bolt11 = invoice.Bolt11 })));

        var paid = results.Count(r => r.IsError != true);
        var codes = results.Where(r => r.IsError == true).Select(r => r.StructuredContent!.Value.GetProperty("error").GetProperty("code").GetString() ?? "?").ToList();
        Assert.True(paid == 10 && codes.All(code => code == "limit_exceeded"),
            $"paid {paid}, refused with {string.Join(", ", codes.CountBy(code => code).Select(c => $"{c.Key} ×{c.Value}"))}; the servers' warnings and errors:\n{ServerProblems()}");
        var spent = 100_000_000 - await Sandbox.BalanceMsatAsync(wallet);
        Assert.InRange(spent, 10_000_000, 10_000_000 + (10 * 20_000));
    }

    /// <summary>What the servers logged above Information, each with its message line (a failure's cause, for the assertion's message).</summary>
    private string ServerProblems() => string.Join('\n', A.Problems().Concat(B.Problems()).TakeLast(40));

    [Fact]
    public async Task RedisHoldsNoRawSessionIdKeyPasswordOrToken()
    {
        const string password = "distinctive-password-7f3a9c";
        await Sandbox.CreateUserAsync("erin", password);
        var wallet = await Sandbox.CreateWalletAsync("erin-wallet", 1_000, user: "erin");
        await using var client = await ServerReplicas.ConnectAsync(A.Url);
        var id = (await client.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;
        await client.CallOkAsync("configure_lnbits", new { session_id = id, lnbits_url = Sandbox.Url.AbsoluteUri, auth_method = "oauth2", username = "erin", password });
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var invoice = await client.CallOkAsync("create_invoice", new { session_id = id, amount = 3 });
        await client.CallOkAsync("get_payments", new { session_id = id });
        await client.CallOkAsync("pay_invoice", new { bolt11 = (await Sandbox.ExternalInvoiceAsync(2)).Bolt11 });
        await client.CallOkAsync("get_session_info");

        var dump = string.Join('\n', await Redis.DumpAsync());

        Assert.NotEmpty(dump);
        foreach (var secret in new[] { id, wallet.AdminKey, wallet.InvoiceKey, password })
        {
            Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(invoice.GetProperty("payment_hash").GetString()!, dump, StringComparison.Ordinal);
    }
}

/// <summary>The contract on one Redis node (append-only file), everything started per test.</summary>
public sealed class SharedSessionTests : SharedSessionContract, IAsyncLifetime
{
    private RedisServer _redis = null!;
    private Sandbox _sandbox = null!;
    private ServiceProcess _a = null!;
    private ServiceProcess _b = null!;

    protected override IRedisDeployment Redis => _redis;

    protected override Sandbox Sandbox => _sandbox;

    protected override ServiceProcess A => _a;

    protected override ServiceProcess B => _b;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync(persistent: true);
        _sandbox = await Sandbox.StartAsync();
        var started = await Task.WhenAll(ServerReplicas.StartAsync("replica-a", _redis, Limits.ToDictionary()), ServerReplicas.StartAsync("replica-b", _redis, Limits.ToDictionary()));
        (_a, _b) = (started[0], started[1]);
    }

    public async ValueTask DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _sandbox.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
