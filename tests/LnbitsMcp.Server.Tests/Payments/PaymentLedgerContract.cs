using LnbitsMcp.Server.Payments;

namespace LnbitsMcp.Server.Tests.Payments;

/// <summary>What every payment ledger must do; run against the in-process and the Redis ledger.</summary>
public abstract class PaymentLedgerContract : IAsyncLifetime
{
    protected abstract Task<IPaymentLedger> CreateLedgerAsync();

    /// <summary>The ledger as another server instance sees it (its own connection to the same store).</summary>
    protected virtual Task<IPaymentLedger> CreateLedgerOfAnotherInstanceAsync() => CreateLedgerAsync();

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static ReservationRequest Request(string ledger, string? hash, long amountMsat, long budgetMsat = 1_000_000, int perHour = 100, DateTimeOffset? now = null) =>
        new(ledger, hash, amountMsat, budgetMsat, perHour, now ?? DateTimeOffset.UtcNow);

    [Fact]
    public async Task AHashIsReservedOnceUntilReleased()
    {
        var ledger = await CreateLedgerAsync();
        var ledgerKey = Guid.NewGuid().ToString();

        var first = Assert.IsType<LedgerDecision.Reserved>(await ledger.ReserveAsync(Request(ledgerKey, "hash-1", 1000), default));
        Assert.IsType<LedgerDecision.AlreadyPaid>(await ledger.ReserveAsync(Request(ledgerKey, "hash-1", 1000), default));
        Assert.IsType<LedgerDecision.Reserved>(await ledger.ReserveAsync(Request(Guid.NewGuid().ToString(), "hash-1", 1000), default));

        await ledger.ReleaseAsync(first.Reservation, default);

        Assert.IsType<LedgerDecision.Reserved>(await ledger.ReserveAsync(Request(ledgerKey, "hash-1", 1000), default));
    }

    [Fact]
    public async Task TheRollingDayBudgetIsNeverExceededAndReleasedAmountsComeBack()
    {
        var ledger = await CreateLedgerAsync();
        var ledgerKey = Guid.NewGuid().ToString();

        var a = Assert.IsType<LedgerDecision.Reserved>(await ledger.ReserveAsync(Request(ledgerKey, "a", 600_000), default));
        var refused = Assert.IsType<LedgerDecision.BudgetExceeded>(await ledger.ReserveAsync(Request(ledgerKey, "b", 500_000), default));
        Assert.Equal(600_000, refused.SpentMsat);
        Assert.Equal(400_000, refused.LeftMsat);
        await ledger.ReleaseAsync(a.Reservation, default);
        Assert.IsType<LedgerDecision.Reserved>(await ledger.ReserveAsync(Request(ledgerKey, "b", 500_000), default));
        Assert.Equal(500_000, (await ledger.GetUsageAsync(ledgerKey, ledgerKey, DateTimeOffset.UtcNow, default)).Wallet.SpentLast24HoursMsat);
    }

    [Fact]
    public async Task SpendingOlderThanADayNoLongerCounts()
    {
        var ledger = await CreateLedgerAsync();
        var ledgerKey = Guid.NewGuid().ToString();
        var now = DateTimeOffset.UtcNow;

        Assert.IsType<LedgerDecision.Reserved>(await ledger.ReserveAsync(Request(ledgerKey, "old", 900_000, now: now.AddHours(-25)), default));

        Assert.IsType<LedgerDecision.Reserved>(await ledger.ReserveAsync(Request(ledgerKey, "new", 900_000, now: now), default));
        Assert.IsType<LedgerDecision.AlreadyPaid>(await ledger.ReserveAsync(Request(ledgerKey, "old", 1, now: now), default));
    }

    [Fact]
    public async Task PaymentsPerHourAreCapped()
    {
        var ledger = await CreateLedgerAsync();
        var ledgerKey = Guid.NewGuid().ToString();

        for (var i = 0; i < 3; i++)
        {
            Assert.IsType<LedgerDecision.Reserved>(await ledger.ReserveAsync(Request(ledgerKey, $"h{i}", 1, perHour: 3), default));
        }

        var refused = Assert.IsType<LedgerDecision.RateExceeded>(await ledger.ReserveAsync(Request(ledgerKey, "h3", 1, perHour: 3), default));
        Assert.Equal(3, refused.PaymentsLastHour);
    }

    [Fact]
    public async Task FiftyConcurrentReservationsNeverExceedTheBudget()
    {
        var ledger = await CreateLedgerAsync();
        var ledgerKey = Guid.NewGuid().ToString();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => ledger.ReserveAsync(Request(ledgerKey, $"hash-{i}", 30_000, budgetMsat: 1_000_000), default))));

        Assert.Equal(33, decisions.Count(d => d is LedgerDecision.Reserved));
        Assert.True((await ledger.GetUsageAsync(ledgerKey, ledgerKey, DateTimeOffset.UtcNow, default)).Wallet.SpentLast24HoursMsat <= 1_000_000);
    }

    [Fact]
    public async Task AWalletsBudgetCountAndHashesAreSharedByEveryCallerAndACallersOwnLimitAppliesOnTop()
    {
        var ledger = await CreateLedgerAsync();
        var wallet = "wallet:" + Guid.NewGuid();
        ReservationRequest ForCaller(string caller, string hash, long amountMsat, long callerBudgetMsat = 3_500_000, int callerPerHour = 10) =>
            new(caller, hash, amountMsat, callerBudgetMsat, callerPerHour, DateTimeOffset.UtcNow)
            {
                WalletKey = wallet,
                WalletDailyBudgetMsat = 3_500_000,
                WalletMaxPaymentsPerHour = 5,
            };

        for (var i = 0; i < 3; i++)
        {
            Assert.IsType<LedgerDecision.Reserved>(await ledger.ReserveAsync(ForCaller("session-a", $"a{i}", 1_000_000), default));
        }

        var newSession = Assert.IsType<LedgerDecision.BudgetExceeded>(await ledger.ReserveAsync(ForCaller("session-b", "b0", 1_000_000), default));
        Assert.Equal(500_000, newSession.LeftMsat);
        Assert.IsType<LedgerDecision.BudgetExceeded>(await ledger.ReserveAsync(ForCaller("headers:x", "h0", 1_000_000), default));
        Assert.IsType<LedgerDecision.AlreadyPaid>(await ledger.ReserveAsync(ForCaller("session-b", "a1", 1), default));
        var tighter = Assert.IsType<LedgerDecision.BudgetExceeded>(await ledger.ReserveAsync(ForCaller("session-b", "b1", 300_000, callerBudgetMsat: 200_000), default));
        Assert.Equal(200_000, tighter.LeftMsat);
        Assert.IsType<LedgerDecision.Reserved>(await ledger.ReserveAsync(ForCaller("session-b", "b2", 100_000), default));
        Assert.IsType<LedgerDecision.RateExceeded>(await ledger.ReserveAsync(ForCaller("session-c", "c0", 1, callerPerHour: 10), default) is LedgerDecision.Reserved r
            ? await ledger.ReserveAsync(ForCaller("session-d", "d0", 1), default)
            : throw new InvalidOperationException("the fifth payment of the hour should pass"));

        var usage = await ledger.GetUsageAsync(wallet, "session-b", DateTimeOffset.UtcNow, default);
        Assert.Equal(3_100_001, usage.Wallet.SpentLast24HoursMsat);
        Assert.Equal((100_000, 1), (usage.Caller.SpentLast24HoursMsat, usage.Caller.PaymentsLastHour));
        Assert.True(await ledger.HoldsHashAsync(wallet, "a2", default));
        await ledger.ReleaseAsync(r.Reservation, default);
        Assert.Equal(3_100_000, (await ledger.GetUsageAsync(wallet, "session-c", DateTimeOffset.UtcNow, default)).Wallet.SpentLast24HoursMsat);
    }

    [Fact]
    public async Task TwoInstancesShareOneBudget()
    {
        var first = await CreateLedgerAsync();
        var second = await CreateLedgerOfAnotherInstanceAsync();
        var ledgerKey = Guid.NewGuid().ToString();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).ReserveAsync(Request(ledgerKey, $"h{i}", 100_000, perHour: 1000), default))));

        Assert.Equal(10, decisions.Count(d => d is LedgerDecision.Reserved));
    }

    [Fact]
    public async Task TwentyConcurrentReservationsOfOneHashReserveItOnce()
    {
        var ledger = await CreateLedgerAsync();
        var ledgerKey = Guid.NewGuid().ToString();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => ledger.ReserveAsync(Request(ledgerKey, "the-hash", 1000), default))));

        Assert.Single(decisions, d => d is LedgerDecision.Reserved);
        Assert.Equal(19, decisions.Count(d => d is LedgerDecision.AlreadyPaid));
    }
}

public sealed class InProcessPaymentLedgerTests : PaymentLedgerContract
{
    private readonly InProcessPaymentLedger _ledger = new();

    protected override Task<IPaymentLedger> CreateLedgerAsync() => Task.FromResult<IPaymentLedger>(_ledger);
}
