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

/// <summary>What every confirmation-token store must do; run in process, on one Redis node and on a Redis Cluster.</summary>
public abstract class ConfirmationTokensContract : IAsyncLifetime
{
    protected abstract IConfirmationTokens Tokens { get; }

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task ATokenRedeemsOnceForItsOwnPaymentOnly()
    {
        var token = await Tokens.IssueAsync("ledger", "hash-1", TimeSpan.FromMinutes(2), default);
        var other = await Tokens.IssueAsync("ledger", "hash-1", TimeSpan.FromMinutes(2), default);

        Assert.True(await Tokens.RedeemAsync(token, "ledger", "hash-1", default));
        Assert.False(await Tokens.RedeemAsync(token, "ledger", "hash-1", default));
        Assert.False(await Tokens.RedeemAsync(other, "another-session", "hash-1", default));
        Assert.False(await Tokens.RedeemAsync(other, "ledger", "hash-1", default));
    }

    [Fact]
    public async Task AnExpiredTokenIsRefused()
    {
        var token = await Tokens.IssueAsync("ledger", "hash-2", TimeSpan.FromMilliseconds(300), default);

        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.False(await Tokens.RedeemAsync(token, "ledger", "hash-2", default));
    }
}

public sealed class InProcessConfirmationTokenTests : ConfirmationTokensContract
{
    protected override IConfirmationTokens Tokens { get; } = new InProcessConfirmationTokens(TimeProvider.System);
}

public sealed class RedisConfirmationTokenTests : ConfirmationTokensContract
{
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    protected override IConfirmationTokens Tokens => new RedisConfirmationTokens(_connection);

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
}
