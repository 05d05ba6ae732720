using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Tests.Sessions;

/// <summary>
/// A session read costs one script and no decryption while the document is unchanged: the decrypted
/// document is kept per version (a change by any instance is seen at the next read), and the expiry slides
/// at most every slide interval — without ever letting a used session expire.
/// </summary>
public sealed class SessionReadsDecryptOncePerVersionAndSlideAtMostEveryInterval : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly CountingDataProtection _dataProtection = new(DataProtectionProvider.Create("lnbits-mcp-tests"));
    private StartedRedisServer _redis = null!;

    public async ValueTask InitializeAsync() => _redis = await StartedRedisServer.StartAsync();

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();

    private RedisSessionStore Store(StackExchange.Redis.IConnectionMultiplexer connection, TimeSpan? idle = null) =>
        new(connection, new SessionDocumentSerializer(_dataProtection), TimeProvider.System, Options.Create(new SessionsOptions { IdleTimeout = idle ?? TimeSpan.FromMinutes(60) }));

    [Fact]
    public async Task AnUnchangedDocumentIsDecryptedOnceAndAChangeByAnotherInstanceIsSeenAtTheNextRead()
    {
        await using var otherConnection = await _redis.Server.ConnectAsync();
        var first = Store(_redis.Connection);
        var second = Store(otherConnection);
        var created = await first.CreateAsync(new SessionCreation(null, null), default).WaitAsync(s_timeout);
        await first.SaveAsync(created.Session with { Lnbits = Settings("key-one-0123456789") }, default).WaitAsync(s_timeout);

        var before = _dataProtection.Unprotects;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("key-one-0123456789", (await second.FindAsync(created.Session.Key, default).WaitAsync(s_timeout))?.Lnbits?.ApiKey?.Reveal());
        }

        Assert.Equal(1, _dataProtection.Unprotects - before); // the API key, decrypted at the first read only

        await first.SaveAsync(created.Session with { Lnbits = Settings("key-two-0123456789") }, default).WaitAsync(s_timeout);
        Assert.Equal("key-two-0123456789", (await second.FindAsync(created.Session.Key, default).WaitAsync(s_timeout))?.Lnbits?.ApiKey?.Reveal());
        Assert.Equal("key-two-0123456789", (await first.FindAsync(created.Session.Key, default).WaitAsync(s_timeout))?.Lnbits?.ApiKey?.Reveal());
        Assert.Equal(2, _dataProtection.Unprotects - before); // once more on the instance that did not write it
    }

    [Fact]
    public async Task ReadsWithinTheSlideIntervalLeaveTheExpiryAloneAndALaterReadSlidesItPastTheIdleTimeout()
    {
        var idle = TimeSpan.FromSeconds(10);
        var store = Store(_redis.Connection, idle);
        Assert.Equal(TimeSpan.FromSeconds(1), store.SlideInterval); // a tenth of a short idle timeout
        var created = await store.CreateAsync(new SessionCreation(null, null), default).WaitAsync(s_timeout);
        var key = RedisKeys.Session(created.Session.Key);
        var database = _redis.Connection.GetDatabase();
        var slidAt = (string?)await database.HashGetAsync(key, "last");

        await store.FindAsync(created.Session.Key, default).WaitAsync(s_timeout);
        await store.FindAsync(created.Session.Key, default).WaitAsync(s_timeout);
        Assert.Equal(slidAt, (string?)await database.HashGetAsync(key, "last"));

        await Task.Delay(store.SlideInterval + TimeSpan.FromMilliseconds(200));
        Assert.NotNull(await store.FindAsync(created.Session.Key, default).WaitAsync(s_timeout));

        Assert.NotEqual(slidAt, (string?)await database.HashGetAsync(key, "last"));
        Assert.True(await database.KeyTimeToLiveAsync(key) > idle, "a slide keeps the session an idle timeout plus the interval, so it never expires before an idle timeout after its last use");
    }

    [Fact]
    public async Task ASessionUsedMoreOftenThanTheSlideIntervalOutlivesItsIdleTimeout()
    {
        var idle = TimeSpan.FromSeconds(2);
        var store = Store(_redis.Connection, idle);
        var created = await store.CreateAsync(new SessionCreation(null, null), default).WaitAsync(s_timeout);

        for (var used = TimeSpan.Zero; used < idle * 2; used += TimeSpan.FromMilliseconds(100))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            Assert.NotNull(await store.FindAsync(created.Session.Key, default).WaitAsync(s_timeout));
        }

        await Task.Delay(idle + store.SlideInterval + TimeSpan.FromMilliseconds(500));
        Assert.Null(await store.FindAsync(created.Session.Key, default).WaitAsync(s_timeout));
    }

    private static LnbitsSettings Settings(string apiKey) => new() { BaseUrl = new Uri("http://127.0.0.1:5000/"), ApiKey = new LnbitsMcp.Server.Sessions.Secret(apiKey) };

    /// <summary>Data Protection that counts decryptions.</summary>
    private sealed class CountingDataProtection(IDataProtectionProvider inner) : IDataProtectionProvider
    {
        private int _unprotects;

        public int Unprotects => Volatile.Read(ref _unprotects);

        public IDataProtector CreateProtector(string purpose) => new Protector(inner.CreateProtector(purpose), this);

        private sealed class Protector(IDataProtector inner, CountingDataProtection owner) : IDataProtector
        {
            public IDataProtector CreateProtector(string purpose) => new Protector(inner.CreateProtector(purpose), owner);

            public byte[] Protect(byte[] plaintext) => inner.Protect(plaintext);

            public byte[] Unprotect(byte[] protectedData)
            {
                Interlocked.Increment(ref owner._unprotects);
                return inner.Unprotect(protectedData);
            }
        }
    }
}
