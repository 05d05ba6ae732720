using LnbitsMcp.Server.Payments;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Tests.Payments;

public sealed class RedisPaymentLedgerTests : PaymentLedgerContract
{
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    public override async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _connection = await _redis.ConnectAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    protected override Task<IPaymentLedger> CreateLedgerAsync() => Task.FromResult<IPaymentLedger>(new RedisPaymentLedger(_connection));

    [Fact]
    public async Task TwoInstancesShareOneBudget()
    {
        await using var other = await _redis.ConnectAsync();
        var first = new RedisPaymentLedger(_connection);
        var second = new RedisPaymentLedger(other);
        var ledgerKey = Guid.NewGuid().ToString();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).ReserveAsync(
                new ReservationRequest(ledgerKey, $"h{i}", 100_000, 1_000_000, 1000, DateTimeOffset.UtcNow), default))));

        Assert.Equal(10, decisions.Count(d => d is LedgerDecision.Reserved));
    }
}

public sealed class ConfirmationTokenTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _connection = await _redis.ConnectAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    public static TheoryData<string> Stores() => ["in-process", "redis"];

    private IConfirmationTokens Store(string kind) =>
        kind == "redis" ? new RedisConfirmationTokens(_connection) : new InProcessConfirmationTokens(TimeProvider.System);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ATokenRedeemsOnceForItsOwnPaymentOnly(string kind)
    {
        var tokens = Store(kind);
        var token = await tokens.IssueAsync("ledger", "hash-1", TimeSpan.FromMinutes(2), default);
        var other = await tokens.IssueAsync("ledger", "hash-1", TimeSpan.FromMinutes(2), default);

        Assert.True(await tokens.RedeemAsync(token, "ledger", "hash-1", default));
        Assert.False(await tokens.RedeemAsync(token, "ledger", "hash-1", default));
        Assert.False(await tokens.RedeemAsync(other, "another-session", "hash-1", default));
        Assert.False(await tokens.RedeemAsync(other, "ledger", "hash-1", default));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task AnExpiredTokenIsRefused(string kind)
    {
        var tokens = Store(kind);
        var token = await tokens.IssueAsync("ledger", "hash-2", TimeSpan.FromMilliseconds(300), default);

        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.False(await tokens.RedeemAsync(token, "ledger", "hash-2", default));
    }
}
