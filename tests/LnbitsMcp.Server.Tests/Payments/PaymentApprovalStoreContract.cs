using LnbitsMcp.Server.Payments;
using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Server.Tests.Sessions;
using LnbitsMcp.Testing;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Tests.Payments;

/// <summary>What every approval store must do; run in process, on one Redis node and on a Redis Cluster.</summary>
public abstract class PaymentApprovalStoreContract : IAsyncLifetime
{
    protected abstract Task<IPaymentApprovalStore> CreateStoreAsync();

    /// <summary>The store as another server instance sees it (its own connection to the same Redis).</summary>
    protected virtual Task<IPaymentApprovalStore> CreateStoreOfAnotherInstanceAsync() => CreateStoreAsync();

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected static PaymentApproval Approval(string ledger = "session-a", string subject = "invoice:aa", TimeSpan? lifetime = null)
    {
        var now = DateTimeOffset.UtcNow;
        return new PaymentApproval
        {
            LedgerKey = ledger,
            SubjectHash = PaymentApprovals.SubjectHash(subject),
            WalletKey = "wallet:test",
            Tool = "pay_invoice",
            AmountMsat = 6_000_000,
            Payee = "node 02aa",
            Memo = "coffee",
            Limits = new PaymentLimits(100_000, 200_000, 30, 5_000),
            CreatedAtMs = now.ToUnixTimeMilliseconds(),
            ExpiresAtMs = (now + (lifetime ?? TimeSpan.FromMinutes(5))).ToUnixTimeMilliseconds(),
        };
    }

    protected static string NewId() => "ap_" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task ANewApprovalIsPendingAndKeepsItsDescription()
    {
        var store = await CreateStoreAsync();
        var id = NewId();
        await store.CreateAsync(id, Approval(), default);

        var found = await store.FindAsync(id, default);

        Assert.NotNull(found);
        Assert.Equal(ApprovalStatus.Pending, found.Status);
        Assert.Equal(6_000_000, found.AmountMsat);
        Assert.Equal("coffee", found.Memo);
        Assert.Equal(5_000, found.Limits.ConfirmAboveSats);
        Assert.Null(await store.FindAsync(NewId(), default));
    }

    [Fact]
    public async Task AnApprovalIsDecidedOnce()
    {
        var store = await CreateStoreAsync();
        var id = NewId();
        await store.CreateAsync(id, Approval(), default);

        var approved = await store.DecideAsync(id, ApprovalStatus.Approved, DateTimeOffset.UtcNow, default);
        var declinedAfter = await store.DecideAsync(id, ApprovalStatus.Declined, DateTimeOffset.UtcNow, default);

        Assert.Equal(new ApprovalChange(ApprovalStatus.Approved, true), approved);
        Assert.Equal(new ApprovalChange(ApprovalStatus.Approved, false), declinedAfter);
        Assert.Equal(new ApprovalChange(null, false), await store.DecideAsync(NewId(), ApprovalStatus.Approved, DateTimeOffset.UtcNow, default));
    }

    [Fact]
    public async Task OnlyAnApprovedApprovalIsUsedAndOnlyOnceByItsOwnCallerForItsOwnPayment()
    {
        var store = await CreateStoreAsync();
        var id = NewId();
        await store.CreateAsync(id, Approval(), default);
        var subject = PaymentApprovals.SubjectHash("invoice:aa");
        var now = DateTimeOffset.UtcNow;

        Assert.Equal(new ApprovalChange(ApprovalStatus.Pending, false), await store.UseAsync(id, "session-a", subject, now, default));
        await store.DecideAsync(id, ApprovalStatus.Approved, now, default);
        Assert.Equal(new ApprovalChange(null, false), await store.UseAsync(id, "session-b", subject, now, default));
        Assert.Equal(new ApprovalChange(null, false), await store.UseAsync(id, "session-a", PaymentApprovals.SubjectHash("invoice:bb"), now, default));
        Assert.Equal(ApprovalStatus.Approved, (await store.FindAsync(id, default))!.Status);

        Assert.Equal(new ApprovalChange(ApprovalStatus.Used, true), await store.UseAsync(id, "session-a", subject, now, default));
        Assert.Equal(new ApprovalChange(ApprovalStatus.Used, false), await store.UseAsync(id, "session-a", subject, now, default));
    }

    [Fact]
    public async Task ADeclinedApprovalIsNeverUsed()
    {
        var store = await CreateStoreAsync();
        var id = NewId();
        await store.CreateAsync(id, Approval(), default);

        await store.DecideAsync(id, ApprovalStatus.Declined, DateTimeOffset.UtcNow, default);

        Assert.Equal(new ApprovalChange(ApprovalStatus.Declined, false), await store.UseAsync(id, "session-a", PaymentApprovals.SubjectHash("invoice:aa"), DateTimeOffset.UtcNow, default));
    }

    [Fact]
    public async Task AnApprovalPastItsExpiryExpiresOnceAndIsNeitherDecidedNorUsed()
    {
        var store = await CreateStoreAsync();
        var (pending, approved) = (NewId(), NewId());
        await store.CreateAsync(pending, Approval(), default);
        await store.CreateAsync(approved, Approval(), default);
        await store.DecideAsync(approved, ApprovalStatus.Approved, DateTimeOffset.UtcNow, default);
        var later = DateTimeOffset.UtcNow.AddMinutes(6);
        var subject = PaymentApprovals.SubjectHash("invoice:aa");

        Assert.Equal(new ApprovalChange(ApprovalStatus.Expired, true), await store.DecideAsync(pending, ApprovalStatus.Approved, later, default));
        Assert.Equal(new ApprovalChange(ApprovalStatus.Expired, false), await store.DecideAsync(pending, ApprovalStatus.Approved, later, default));
        Assert.Equal(new ApprovalChange(ApprovalStatus.Expired, true), await store.UseAsync(approved, "session-a", subject, later, default));
        Assert.Equal(new ApprovalChange(ApprovalStatus.Expired, false), await store.UseAsync(approved, "session-a", subject, later, default));
    }

    [Fact]
    public async Task TwentyConcurrentUsesFromTwoInstancesSucceedOnce()
    {
        var first = await CreateStoreAsync();
        var second = await CreateStoreOfAnotherInstanceAsync();
        var id = NewId();
        await first.CreateAsync(id, Approval(), default);
        await second.DecideAsync(id, ApprovalStatus.Approved, DateTimeOffset.UtcNow, default);
        var subject = PaymentApprovals.SubjectHash("invoice:aa");

        var uses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? first : second).UseAsync(id, "session-a", subject, DateTimeOffset.UtcNow, default)));

        Assert.Single(uses, u => u.Changed);
        Assert.All(uses, u => Assert.Equal(ApprovalStatus.Used, u.Status));
    }

    [Fact]
    public async Task ARequestStateNonceIsUsedOnceOnEveryInstance()
    {
        var first = await CreateStoreAsync();
        var second = await CreateStoreOfAnotherInstanceAsync();
        var nonce = Guid.NewGuid().ToString("N");

        Assert.True(await first.UseOnceAsync(nonce, TimeSpan.FromMinutes(1), default));
        Assert.False(await second.UseOnceAsync(nonce, TimeSpan.FromMinutes(1), default));
        Assert.False(await first.UseOnceAsync(nonce, TimeSpan.FromMinutes(1), default));
    }
}

public sealed class InProcessPaymentApprovalStoreTests : PaymentApprovalStoreContract
{
    private readonly InProcessPaymentApprovalStore _store = new(TimeProvider.System);

    protected override Task<IPaymentApprovalStore> CreateStoreAsync() => Task.FromResult<IPaymentApprovalStore>(_store);
}

public sealed class RedisPaymentApprovalStoreTests : PaymentApprovalStoreContract
{
    private RedisServer _redis = null!;
    private RedisInstanceConnections _instances = null!;

    private ConnectionMultiplexer Connection => _instances.First;

    public override async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _instances = await RedisInstanceConnections.OpenAsync(_redis.ConnectAsync);
    }

    public override async ValueTask DisposeAsync()
    {
        await _instances.DisposeAsync();
        await _redis.DisposeAsync();
    }

    protected override Task<IPaymentApprovalStore> CreateStoreAsync() => Task.FromResult<IPaymentApprovalStore>(new RedisPaymentApprovalStore(Connection, TimeProvider.System));

    protected override async Task<IPaymentApprovalStore> CreateStoreOfAnotherInstanceAsync() => new RedisPaymentApprovalStore(await _instances.AnotherAsync(), TimeProvider.System);

    [Fact]
    public async Task RedisHoldsNoApprovalIdAndKeepsAnApprovalOnlyAWhilePastItsExpiry()
    {
        var store = await CreateStoreAsync();
        var id = NewId();
        await store.CreateAsync(id, Approval(lifetime: TimeSpan.FromSeconds(1)), default);
        var server = Connection.GetServer(Connection.GetEndPoints()[0]);
        var keys = server.Keys(pattern: RedisKeys.Prefix + "{approval:*").Select(k => (string)k!).ToList();

        Assert.Contains(RedisKeys.PaymentApproval(PaymentApprovals.StorageId(id)), keys);
        Assert.DoesNotContain(keys, k => k.Contains(id, StringComparison.Ordinal));
        foreach (var key in keys)
        {
            Assert.All(await Connection.GetDatabase().HashGetAllAsync(key), field => Assert.DoesNotContain(id, (string)field.Value!, StringComparison.Ordinal));
        }

        var ttl = await Connection.GetDatabase().KeyTimeToLiveAsync(RedisKeys.PaymentApproval(PaymentApprovals.StorageId(id)));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(11));
    }
}

[Collection(RedisClusterStores.Name)]
public sealed class RedisClusterPaymentApprovalStoreTests(RedisClusterFixture fixture) : PaymentApprovalStoreContract
{
    private RedisInstanceConnections _instances = null!;

    public override async ValueTask InitializeAsync() => _instances = await RedisInstanceConnections.OpenAsync(fixture.Cluster.ConnectAsync);

    public override async ValueTask DisposeAsync() => await _instances.DisposeAsync();

    protected override Task<IPaymentApprovalStore> CreateStoreAsync() => Task.FromResult<IPaymentApprovalStore>(new RedisPaymentApprovalStore(_instances.First, TimeProvider.System));

    protected override async Task<IPaymentApprovalStore> CreateStoreOfAnotherInstanceAsync() => new RedisPaymentApprovalStore(await _instances.AnotherAsync(), TimeProvider.System);
}
