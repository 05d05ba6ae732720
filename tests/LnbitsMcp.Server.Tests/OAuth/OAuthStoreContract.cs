using LnbitsMcp.Server.Auth;
using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Server.Tests.Sessions;
using LnbitsMcp.Testing;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Tests.OAuth;

/// <summary>
/// What every <see cref="IOAuthStore"/> guarantees — in process, on one Redis node and on a Redis Cluster (where
/// every script must stay in one hash slot): codes redeemed once, one-use items taken once, refresh tokens
/// rotated once (a reuse ends the connection), connections only reachable by their owner.
/// </summary>
public abstract class OAuthStoreContract : IAsyncLifetime
{
    protected static readonly TimeSpan s_idle = TimeSpan.FromDays(30);

    protected abstract IOAuthStore Store { get; }

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task ACodeIsRedeemedOnce()
    {
        var code = Guid.NewGuid().ToString("N");
        Assert.True(await Store.MarkCodeRedeemedAsync(code, TimeSpan.FromMinutes(3), default));
        Assert.False(await Store.MarkCodeRedeemedAsync(code, TimeSpan.FromMinutes(3), default));
    }

    [Fact]
    public async Task AOneUseItemCanBeReadButTakenOnlyOnce()
    {
        var id = Guid.NewGuid().ToString("N");
        await Store.PutOnceAsync(OneUseKind.SessionLink, id, "{\"session\":\"s\"}", TimeSpan.FromMinutes(5), default);
        Assert.NotNull(await Store.PeekOnceAsync(OneUseKind.SessionLink, id, default));
        Assert.Equal("{\"session\":\"s\"}", await Store.TakeOnceAsync(OneUseKind.SessionLink, id, default));
        Assert.Null(await Store.TakeOnceAsync(OneUseKind.SessionLink, id, default));
        Assert.Null(await Store.TakeOnceAsync(OneUseKind.ConsentTicket, id, default));
    }

    [Fact]
    public async Task RefreshTokensRotateOnceAndAReuseEndsTheConnection()
    {
        var (owner, connection) = await SaveConnectionAsync("first");
        Assert.Equal(RefreshRotation.Rotated, await Store.RotateRefreshAsync(owner, connection, "first", "second", DateTimeOffset.UtcNow, s_idle, default));
        Assert.Equal("second", (await Store.FindConnectionAsync(owner, connection, default))!.RefreshId);
        Assert.Equal(RefreshRotation.Reused, await Store.RotateRefreshAsync(owner, connection, "first", "third", DateTimeOffset.UtcNow, s_idle, default));
        Assert.Null(await Store.FindConnectionAsync(owner, connection, default));
        Assert.Equal(RefreshRotation.Gone, await Store.RotateRefreshAsync(owner, connection, "second", "third", DateTimeOffset.UtcNow, s_idle, default));
        Assert.False(await Store.TouchConnectionAsync(owner, connection, DateTimeOffset.UtcNow, s_idle, default));
    }

    [Fact]
    public async Task ConnectionsAreListedTouchedAndRevokedByTheirOwnerOnly()
    {
        var (owner, connection) = await SaveConnectionAsync("r1");
        var (stranger, _) = await SaveConnectionAsync("r2");
        var used = DateTimeOffset.UtcNow.AddMinutes(5);
        Assert.True(await Store.TouchConnectionAsync(owner, connection, used, s_idle, default));
        var listed = Assert.Single(await Store.ListConnectionsAsync(owner, default));
        Assert.Equal(connection, listed.ConnectionKey);
        Assert.Equal(used.ToUnixTimeMilliseconds(), listed.LastUsedAt.ToUnixTimeMilliseconds());
        Assert.Equal([OAuthScopes.WalletRead, OAuthScopes.WalletPay], listed.Scopes);

        Assert.False(await Store.DeleteConnectionAsync(stranger, connection, default));
        Assert.False(await Store.TouchConnectionAsync(stranger, connection, used, s_idle, default));
        Assert.True(await Store.DeleteConnectionAsync(owner, connection, default));
        Assert.False(await Store.TouchConnectionAsync(owner, connection, used, s_idle, default));
        Assert.Empty(await Store.ListConnectionsAsync(owner, default));
    }

    [Fact]
    public async Task RegisteredClientsAreFoundById()
    {
        var client = new RegisteredClient { ClientId = "mcp_" + Guid.NewGuid().ToString("N"), ClientName = "Contract", RedirectUris = ["https://app.example/cb"] };
        await Store.SaveClientAsync(client, default);
        Assert.Equal("Contract", (await Store.FindClientAsync(client.ClientId, default))?.ClientName);
        Assert.Null(await Store.FindClientAsync("mcp_unknown", default));
    }

    protected async Task<(string Owner, string Connection)> SaveConnectionAsync(string refresh)
    {
        var owner = OwnerKey.OfSubject("user_" + Guid.NewGuid().ToString("N"));
        var connection = SessionId.Key(SessionId.New());
        await Store.SaveConnectionAsync(new ConnectionRecord
        {
            ConnectionKey = connection,
            OwnerKey = owner,
            ClientId = "mcp_contract",
            ClientName = "Contract client",
            CreatedAt = DateTimeOffset.UtcNow,
            LastUsedAt = DateTimeOffset.UtcNow,
            Scopes = [OAuthScopes.WalletRead, OAuthScopes.WalletPay],
            RefreshId = refresh,
        }, s_idle, default);
        return (owner, connection);
    }
}

public sealed class InProcessOAuthStoreTests : OAuthStoreContract
{
    protected override IOAuthStore Store { get; } = new InProcessOAuthStore(TimeProvider.System);
}

public sealed class RedisOAuthStoreTests : OAuthStoreContract
{
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    protected override IOAuthStore Store => new RedisOAuthStore(_connection);

    public override async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _connection = await _redis.ConnectAsync();
    }

    [Fact]
    public async Task EveryTouchChecksTheConnectionButItsLastUseAndExpiryAreWrittenAtMostEveryTouchInterval()
    {
        var (owner, connection) = await SaveConnectionAsync("t1");
        var record = (RedisKey)OAuthRedisKeys.Connection(owner, connection);
        var database = _connection.GetDatabase();
        var saved = (long)await database.HashGetAsync(record, "last");
        var start = DateTimeOffset.FromUnixTimeMilliseconds(saved);

        await database.KeyExpireAsync(record, TimeSpan.FromDays(1)); // so that a write shows in its expiry too
        Assert.True(await Store.TouchConnectionAsync(owner, connection, start + RedisOAuthStore.TouchInterval / 2, s_idle, default));
        Assert.Equal(saved, (long)await database.HashGetAsync(record, "last"));
        Assert.True(await database.KeyTimeToLiveAsync(record) <= TimeSpan.FromDays(1));

        var later = start + RedisOAuthStore.TouchInterval + TimeSpan.FromMilliseconds(1);
        Assert.True(await Store.TouchConnectionAsync(owner, connection, later, s_idle, default));
        Assert.Equal(later.ToUnixTimeMilliseconds(), (long)await database.HashGetAsync(record, "last"));
        Assert.True(await database.KeyTimeToLiveAsync(record) > TimeSpan.FromDays(29));

        Assert.True(await Store.DeleteConnectionAsync(owner, connection, default));
        Assert.False(await Store.TouchConnectionAsync(owner, connection, later + TimeSpan.FromMilliseconds(1), s_idle, default)); // revoked: at once, within the interval
    }

    public override async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }
}

/// <summary>The contract on a real 3 + 3 node Redis Cluster: every OAuth script stays in one slot.</summary>
[Collection(RedisClusterStores.Name)]
public sealed class RedisClusterOAuthStoreTests(RedisClusterFixture fixture) : OAuthStoreContract
{
    private ConnectionMultiplexer _connection = null!;

    protected override IOAuthStore Store => new RedisOAuthStore(_connection);

    public override async ValueTask InitializeAsync() => _connection = await fixture.Cluster.ConnectAsync();

    public override async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public void AConnectionAndItsOwnersIndexShareOneSlot() =>
        Assert.Equal(RedisCluster.ClusterSlot(OAuthRedisKeys.Connection("owner", "connection")), RedisCluster.ClusterSlot(OAuthRedisKeys.OwnerConnections("owner")));
}
