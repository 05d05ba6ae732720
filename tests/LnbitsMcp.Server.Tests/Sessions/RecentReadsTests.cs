using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LnbitsMcp.Server.Tests.Sessions;

/// <summary>
/// A read-only call (<see cref="SessionFreshness.Recent"/>) on an MCP connection asks Redis at most once per
/// <see cref="RedisSessionStore.RecentWindow"/>: for its session's copy, and for the word that the connection has no
/// session (a connection using header credentials or the operator's wallet never binds one). A call that reads the
/// session as it is now always asks, and a binding made by this instance counts at once.
/// </summary>
public sealed class RecentReadsAskRedisAtMostOncePerWindow : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly IDataProtectionProvider _dataProtection = DataProtectionProvider.Create("lnbits-mcp-tests");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private StartedRedisServer _redis = null!;

    public async ValueTask InitializeAsync() => _redis = await StartedRedisServer.StartAsync();

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();

    private RedisSessionStore Store(StackExchange.Redis.IConnectionMultiplexer connection) =>
        new(connection, new SessionDocumentSerializer(_dataProtection), _clock, Options.Create(new SessionsOptions { IdleTimeout = TimeSpan.FromMinutes(60) }));

    [Fact]
    public async Task AConnectionWithoutASessionIsAskedForOncePerWindowByReadOnlyCallsAndAlwaysByOthers()
    {
        var store = Store(_redis.Connection);
        Assert.Equal(TimeSpan.FromSeconds(1), store.RecentWindow);

        var asked = await CommandsAsync(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.Null(await store.FindByTransportAsync("transport-unbound", SessionFreshness.Recent, default).WaitAsync(s_timeout));
            }
        });
        Assert.Equal(1, asked.GetValueOrDefault("get"));

        asked = await CommandsAsync(async () => Assert.Null(await store.FindByTransportAsync("transport-unbound", SessionFreshness.Current, default).WaitAsync(s_timeout)));
        Assert.Equal(1, asked.GetValueOrDefault("get"));

        _clock.Advance(store.RecentWindow);
        asked = await CommandsAsync(async () => Assert.Null(await store.FindByTransportAsync("transport-unbound", SessionFreshness.Recent, default).WaitAsync(s_timeout)));
        Assert.Equal(1, asked.GetValueOrDefault("get"));
    }

    [Fact]
    public async Task ABindingByThisInstanceCountsAtOnceAndOneByAnotherInstanceWithinAWindow()
    {
        await using var otherConnection = await _redis.Server.ConnectAsync();
        var store = Store(_redis.Connection);
        var other = Store(otherConnection);

        Assert.Null(await store.FindByTransportAsync("transport-here", SessionFreshness.Recent, default).WaitAsync(s_timeout));
        var here = await store.CreateAsync(new SessionCreation(null, null), default).WaitAsync(s_timeout);
        await store.BindTransportAsync("transport-here", here.Session.Key, default).WaitAsync(s_timeout);
        Assert.Equal(here.Session.Key, (await store.FindByTransportAsync("transport-here", SessionFreshness.Recent, default).WaitAsync(s_timeout))?.Key);

        Assert.Null(await store.FindByTransportAsync("transport-there", SessionFreshness.Recent, default).WaitAsync(s_timeout));
        var there = await other.CreateAsync(new SessionCreation(null, null), default).WaitAsync(s_timeout);
        await other.BindTransportAsync("transport-there", there.Session.Key, default).WaitAsync(s_timeout);
        Assert.Null(await store.FindByTransportAsync("transport-there", SessionFreshness.Recent, default).WaitAsync(s_timeout)); // within the window
        Assert.Equal(there.Session.Key, (await store.FindByTransportAsync("transport-there", SessionFreshness.Current, default).WaitAsync(s_timeout))?.Key);

        Assert.Null(await store.FindByTransportAsync("transport-later", SessionFreshness.Recent, default).WaitAsync(s_timeout));
        var later = await other.CreateAsync(new SessionCreation(null, null), default).WaitAsync(s_timeout);
        await other.BindTransportAsync("transport-later", later.Session.Key, default).WaitAsync(s_timeout);
        _clock.Advance(store.RecentWindow);
        Assert.Equal(later.Session.Key, (await store.FindByTransportAsync("transport-later", SessionFreshness.Recent, default).WaitAsync(s_timeout))?.Key);
    }

    [Fact]
    public async Task ASessionCopyServesReadOnlyCallsWithoutARoundTripWithinAWindowAndCurrentReadsAlwaysAsk()
    {
        var store = Store(_redis.Connection);
        var created = await store.CreateAsync(new SessionCreation(null, null), default).WaitAsync(s_timeout);
        await store.BindTransportAsync("transport-copy", created.Session.Key, default).WaitAsync(s_timeout);
        Assert.NotNull(await store.FindByTransportAsync("transport-copy", SessionFreshness.Current, default).WaitAsync(s_timeout));
        Assert.NotNull(await store.FindByTransportAsync("transport-copy", SessionFreshness.Recent, default).WaitAsync(s_timeout)); // listening to changes from here on

        var asked = await CommandsAsync(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(created.Session.Key, (await store.FindByTransportAsync("transport-copy", SessionFreshness.Recent, default).WaitAsync(s_timeout))?.Key);
            }
        });
        Assert.Equal(0, asked.Values.Sum());

        asked = await CommandsAsync(async () => Assert.NotNull(await store.FindByTransportAsync("transport-copy", SessionFreshness.Current, default).WaitAsync(s_timeout)));
        Assert.Equal(1, asked.GetValueOrDefault("evalsha") + asked.GetValueOrDefault("eval"));

        _clock.Advance(store.RecentWindow);
        asked = await CommandsAsync(async () => Assert.NotNull(await store.FindByTransportAsync("transport-copy", SessionFreshness.Recent, default).WaitAsync(s_timeout)));
        Assert.Equal(1, asked.GetValueOrDefault("evalsha") + asked.GetValueOrDefault("eval"));
    }

    /// <summary>The Redis commands <paramref name="action"/> sent, by name.</summary>
    private async Task<IReadOnlyDictionary<string, int>> CommandsAsync(Func<Task> action)
    {
        await RedisProcess.CliAsync(_redis.Server.Port, "config", "resetstat");
        await action();
        return await RedisProcess.CommandCallsAsync(_redis.Server.Port);
    }
}
