using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Tests.Sessions;

public sealed class RedisSessionStoreTests : SessionStoreContract
{
    private StartedRedisServer _redis = null!;
    private readonly IDataProtectionProvider _dataProtection = DataProtectionProvider.Create("lnbits-mcp-tests");

    public override async ValueTask InitializeAsync() => _redis = await StartedRedisServer.StartAsync();

    public override async ValueTask DisposeAsync() => await _redis.DisposeAsync();

    protected override Task<ISessionStore> CreateStoreAsync(SessionsOptions options) =>
        Task.FromResult<ISessionStore>(new RedisSessionStore(_redis.Connection, new SessionDocumentSerializer(_dataProtection), TimeProvider.System, Options.Create(options)));

    [Fact]
    public async Task RedisHoldsNoRawSessionIdAndNoPlainCredential()
    {
        var store = await CreateStoreAsync(new SessionsOptions());
        var created = await store.CreateAsync(new SessionCreation(null, "10.1.1.1"), default);
        await store.SaveAsync(created.Session with { Lnbits = SampleSettings() }, default);
        await store.BindTransportAsync("raw-transport-session-id", created.Session.Key, default);

        var dump = string.Join("\n", await _redis.Server.DumpAsync());

        Assert.Contains(created.Session.Key, dump, StringComparison.Ordinal);
        foreach (var secret in new[] { created.SessionId, "apikey-0123456789abcdef", "token-0123456789abcdef", "password-0123456789", "raw-transport-session-id", "10.1.1.1" })
        {
            Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ASessionWrittenByOneInstanceIsReadByAnother()
    {
        // Two stores with their own connections and one Data Protection key ring, as two instances have.
        await using var otherConnection = await _redis.Server.ConnectAsync();
        var first = await CreateStoreAsync(new SessionsOptions());
        var second = new RedisSessionStore(otherConnection, new SessionDocumentSerializer(_dataProtection), TimeProvider.System, Options.Create(new SessionsOptions()));

        var created = await first.CreateAsync(new SessionCreation(null, null), default);
        await first.SaveAsync(created.Session with { Lnbits = SampleSettings() }, default);

        Assert.Equal(SampleSettings().ApiKey, (await second.FindAsync(created.Session.Key, default))?.Lnbits?.ApiKey);
    }

    [Fact]
    public async Task ACallOnAKnownTransportCostsOneScriptAndNoOtherCommand()
    {
        var store = await CreateStoreAsync(new SessionsOptions());
        var created = await store.CreateAsync(new SessionCreation(null, "10.6.0.1"), default);
        await store.BindTransportAsync("transport-known", created.Session.Key, default);
        var port = _redis.Server.Port;
        await RedisProcess.CliAsync(port, "config", "resetstat");

        Assert.Equal(created.Session.Key, (await store.FindByTransportAsync("transport-known", default))?.Key);

        var calls = await RedisProcess.CommandCallsAsync(port);
        Assert.Equal(1, calls.GetValueOrDefault("evalsha") + calls.GetValueOrDefault("eval"));
        Assert.DoesNotContain("get", calls.Keys);
    }

    [Fact]
    public async Task AnIdleSessionOfAClientAddressBoundToATransportIsKeptAsOneCompactHash()
    {
        var store = await CreateStoreAsync(new SessionsOptions());
        var created = await store.CreateAsync(new SessionCreation(null, "10.7.0.1"), default);
        await store.BindTransportAsync("transport-compact", created.Session.Key, default);

        // Redis keeps a small hash whose values are at most 64 bytes as a listpack (a few hundred bytes),
        // any longer value turns it into a hash table (about three times the memory).
        var encoding = (string?)await _redis.Connection.GetDatabase().ExecuteAsync("OBJECT", "ENCODING", RedisKeys.Session(created.Session.Key));
        Assert.Equal("listpack", encoding);
        Assert.Equal(created.Session.Key, (await store.FindByTransportAsync("transport-compact", default))?.Key);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AUsedSessionRenewsItsCapEntriesAndTransportKeysAlsoWhenItsHashHoldsWholeKeyNames(bool writtenByAnEarlierVersion)
    {
        var store = await CreateStoreAsync(new SessionsOptions());
        var created = await store.CreateAsync(new SessionCreation("owner-renewing", "10.8.0.1"), default);
        await store.BindTransportAsync("transport-renewing", created.Session.Key, default);
        var database = _redis.Connection.GetDatabase();
        var hash = RedisKeys.Session(created.Session.Key);
        string[] sets = [RedisKeys.OwnerSessions("owner-renewing"), RedisKeys.AddressSessions("10.8.0.1")];
        string[] keys = [RedisKeys.Transport("transport-renewing"), RedisKeys.McpSession("transport-renewing")];
        if (writtenByAnEarlierVersion)
        {
            await database.HashSetAsync(hash, [new("owner_set", sets[0]), new("address_set", sets[1]), new("transport", keys[0]), new("initialize", keys[1])]);
        }

        // Entries about to run out and a renewal due, as a quarter of the idle timeout after the last one.
        var soon = DateTimeOffset.UtcNow.AddMinutes(1);
        foreach (var set in sets)
        {
            await database.SortedSetAddAsync(set, created.Session.Key, soon.ToUnixTimeMilliseconds());
        }

        await database.StringSetAsync(keys[1], "initialize parameters", TimeSpan.FromMinutes(1));
        await database.KeyExpireAsync(keys[0], TimeSpan.FromMinutes(1));
        await database.HashSetAsync(hash, "renewed", 0);

        Assert.NotNull(await store.FindAsync(created.Session.Key, default));

        var idle = new SessionsOptions().IdleTimeout;
        foreach (var set in sets)
        {
            var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(await database.SortedSetScoreAsync(set, created.Session.Key))!.Value);
            Assert.True(expiresAt > DateTimeOffset.UtcNow + idle, $"{set} entry expires at {expiresAt}");
        }

        foreach (var key in keys)
        {
            Assert.True(await database.KeyTimeToLiveAsync(key) > idle, $"{key} lives {await database.KeyTimeToLiveAsync(key)}");
        }
    }
}
