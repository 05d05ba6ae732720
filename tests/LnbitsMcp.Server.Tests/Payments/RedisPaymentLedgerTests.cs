using LnbitsMcp.Server.Payments;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Tests.Payments;

public sealed class RedisPaymentLedgerTests : PaymentLedgerContract
{
    private RedisServer _redis = null!;
    private RedisInstanceConnections _instances = null!;

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

    protected override Task<IPaymentLedger> CreateLedgerAsync() => Task.FromResult<IPaymentLedger>(new RedisPaymentLedger(_instances.First));

    protected override async Task<IPaymentLedger> CreateLedgerOfAnotherInstanceAsync() => new RedisPaymentLedger(await _instances.AnotherAsync());
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
    private StartedRedisServer _redis = null!;

    protected override IConfirmationTokens Tokens => new RedisConfirmationTokens(_redis.Connection);

    public override async ValueTask InitializeAsync() => _redis = await StartedRedisServer.StartAsync();

    public override async ValueTask DisposeAsync() => await _redis.DisposeAsync();
}
