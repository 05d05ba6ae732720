using System.Security.Claims;
using LnbitsMcp.Server.Auth;
using LnbitsMcp.Server.Sessions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LnbitsMcp.Server.Tests.OAuth;

/// <summary>
/// A connection's liveness is read from the store at most once per <see cref="ConnectionLiveness.TrustedFor"/> on
/// an instance, and whatever ends a connection answers only once no instance trusts an earlier read: two
/// <see cref="Connections"/> over one store stand for two instances.
/// </summary>
public sealed class ConnectionLivenessTests
{
    private const string Subject = "subject";
    private static readonly string Owner = OwnerKey.OfSubject(Subject);
    private const string Connection = "connection-key";

    [Fact]
    public void AConfirmationIsTrustedForItsWindowCountedFromWhenTheReadStarted()
    {
        var clock = new FakeTimeProvider();
        var liveness = new ConnectionLiveness(clock);
        var readStartedAt = liveness.ReadStarts();
        clock.Advance(TimeSpan.FromMilliseconds(100)); // the read's round trip
        Assert.False(liveness.RecentlyConfirmed(Owner, Connection));

        liveness.Confirmed(Owner, Connection, readStartedAt);
        Assert.True(liveness.RecentlyConfirmed(Owner, Connection));
        Assert.False(liveness.RecentlyConfirmed(Owner, "another-connection"));
        Assert.False(liveness.RecentlyConfirmed("another-owner", Connection));

        clock.Advance(ConnectionLiveness.TrustedFor - TimeSpan.FromMilliseconds(101));
        Assert.True(liveness.RecentlyConfirmed(Owner, Connection));
        clock.Advance(TimeSpan.FromMilliseconds(1)); // the window, from when the read started
        Assert.False(liveness.RecentlyConfirmed(Owner, Connection));
    }

    [Fact]
    public void AnOlderReadDoesNotReplaceANewerOneAndForgettingEndsTrustAtOnce()
    {
        var clock = new FakeTimeProvider();
        var liveness = new ConnectionLiveness(clock);
        var older = liveness.ReadStarts();
        clock.Advance(ConnectionLiveness.TrustedFor);
        liveness.Confirmed(Owner, Connection, older);
        Assert.False(liveness.RecentlyConfirmed(Owner, Connection)); // read a whole window ago: not trusted

        liveness.Confirmed(Owner, Connection, liveness.ReadStarts());
        liveness.Confirmed(Owner, Connection, older);
        Assert.True(liveness.RecentlyConfirmed(Owner, Connection));

        liveness.Forget(Owner, Connection);
        Assert.False(liveness.RecentlyConfirmed(Owner, Connection));
    }

    [Fact]
    public async Task AnEndingWaitsOutTheWindowAndTheMarginByTheClockConfirmationsAreTimedBy()
    {
        var clock = new FakeTimeProvider();
        var liveness = new ConnectionLiveness(clock);
        liveness.Confirmed(Owner, Connection, liveness.ReadStarts());

        var waiting = liveness.OutlastConfirmationsAsync();
        clock.Advance(ConnectionLiveness.TrustedFor);
        Assert.False(liveness.RecentlyConfirmed(Owner, Connection));
        Assert.False(waiting.IsCompleted); // the margin: timers may fire early by the confirmations' clock

        clock.Advance(ConnectionLiveness.Margin);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void ConfirmationsNoLongerTrustedAreSweptWhileNewOnesStay()
    {
        var clock = new FakeTimeProvider();
        var liveness = new ConnectionLiveness(clock);
        liveness.Confirmed(Owner, "quiet", liveness.ReadStarts());
        clock.Advance(TimeSpan.FromSeconds(2));
        liveness.Confirmed(Owner, Connection, liveness.ReadStarts()); // sweeps: a second has passed

        Assert.Equal(1, liveness.Count);
        Assert.True(liveness.RecentlyConfirmed(Owner, Connection));
    }

    [Fact]
    public async Task CallsInQuickSuccessionReadTheStoreOnceAndAgainAfterTheWindow()
    {
        var store = new CountingStore(new InProcessOAuthStore(TimeProvider.System));
        await SaveConnectionAsync(store);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var instance = Instance(store, clock);

        for (var call = 0; call < 50; call++)
        {
            Assert.True(await instance.TouchAsync(User(), default));
        }

        Assert.Equal(1, store.Touches);
        clock.Advance(ConnectionLiveness.TrustedFor);
        Assert.True(await instance.TouchAsync(User(), default));
        Assert.Equal(2, store.Touches);
    }

    [Fact]
    public async Task ARevocationAnswersOnlyWhenNoOtherInstanceStillTrustsTheConnection()
    {
        var store = new CountingStore(new InProcessOAuthStore(TimeProvider.System));
        await SaveConnectionAsync(store);
        var revoking = Instance(store);
        var other = Instance(store);
        Assert.True(await other.TouchAsync(User(), default)); // the other instance has just read it live

        Assert.True(await revoking.RevokeAsync(Owner, Connection, default));

        Assert.False(await other.TouchAsync(User(), default));
        Assert.False(await revoking.TouchAsync(User(), default));
    }

    [Fact]
    public async Task AReusedRefreshTokenEndsTheConnectionOnEveryInstanceBeforeTheTokenEndpointAnswers()
    {
        var store = new CountingStore(new InProcessOAuthStore(TimeProvider.System));
        await SaveConnectionAsync(store);
        var rotating = Instance(store);
        var other = Instance(store);
        Assert.Equal(RefreshRotation.Rotated, await rotating.RotateAsync(User(), "first", "second", default));
        Assert.True(await other.TouchAsync(User(), default));

        Assert.Equal(RefreshRotation.Reused, await rotating.RotateAsync(User(), "first", "third", default));

        Assert.False(await other.TouchAsync(User(), default));
    }

    [Fact]
    public async Task AConnectionFoundGoneIsNotTrustedAfterwards()
    {
        var store = new CountingStore(new InProcessOAuthStore(TimeProvider.System));
        var instance = Instance(store);

        Assert.False(await instance.TouchAsync(User(), default));
        Assert.False(await instance.TouchAsync(User(), default));
        Assert.Equal(2, store.Touches); // a refusal is not remembered: the store is asked each time
    }

    /// <summary>An instance; revocations wait out the window in real time unless a clock is given.</summary>
    private static Connections Instance(IOAuthStore store, TimeProvider? clock = null) =>
        new(store, new InProcessSessionStore(TimeProvider.System, Options.Create(new SessionsOptions())), new ConnectionLiveness(clock ?? TimeProvider.System),
            TimeProvider.System, Options.Create(new AuthOptions()));

    private static Task SaveConnectionAsync(IOAuthStore store) => store.SaveConnectionAsync(new ConnectionRecord
    {
        ConnectionKey = Connection,
        OwnerKey = Owner,
        ClientId = "client",
        ClientName = "Client",
        CreatedAt = DateTimeOffset.UtcNow,
        RefreshId = "first",
    }, TimeSpan.FromDays(30), default);

    /// <summary>A token's user whose connection is <see cref="Connection"/> and whose owner key is <see cref="Owner"/>.</summary>
    private static ClaimsPrincipal User()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", Subject), new Claim(OAuthScopes.ConnectionClaim, Connection)], "test"));
        Assert.Equal(Owner, OwnerKey.Of(user));
        return user;
    }

    private sealed class CountingStore(IOAuthStore inner) : IOAuthStore
    {
        private int _touches;

        public int Touches => Volatile.Read(ref _touches);

        public Task<bool> TouchConnectionAsync(string ownerKey, string connectionKey, DateTimeOffset now, TimeSpan idle, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _touches);
            return inner.TouchConnectionAsync(ownerKey, connectionKey, now, idle, cancellationToken);
        }

        public Task SaveClientAsync(RegisteredClient client, CancellationToken cancellationToken) => inner.SaveClientAsync(client, cancellationToken);
        public Task<RegisteredClient?> FindClientAsync(string clientId, CancellationToken cancellationToken) => inner.FindClientAsync(clientId, cancellationToken);
        public Task PutOnceAsync(OneUseKind kind, string id, string json, TimeSpan lifetime, CancellationToken cancellationToken) => inner.PutOnceAsync(kind, id, json, lifetime, cancellationToken);
        public Task<string?> PeekOnceAsync(OneUseKind kind, string id, CancellationToken cancellationToken) => inner.PeekOnceAsync(kind, id, cancellationToken);
        public Task<string?> TakeOnceAsync(OneUseKind kind, string id, CancellationToken cancellationToken) => inner.TakeOnceAsync(kind, id, cancellationToken);
        public Task<bool> MarkCodeRedeemedAsync(string codeId, TimeSpan lifetime, CancellationToken cancellationToken) => inner.MarkCodeRedeemedAsync(codeId, lifetime, cancellationToken);
        public Task SaveConnectionAsync(ConnectionRecord connection, TimeSpan idle, CancellationToken cancellationToken) => inner.SaveConnectionAsync(connection, idle, cancellationToken);
        public Task<ConnectionRecord?> FindConnectionAsync(string ownerKey, string connectionKey, CancellationToken cancellationToken) => inner.FindConnectionAsync(ownerKey, connectionKey, cancellationToken);
        public Task<RefreshRotation> RotateRefreshAsync(string ownerKey, string connectionKey, string expected, string next, DateTimeOffset now, TimeSpan idle, CancellationToken cancellationToken) => inner.RotateRefreshAsync(ownerKey, connectionKey, expected, next, now, idle, cancellationToken);
        public Task<IReadOnlyList<ConnectionRecord>> ListConnectionsAsync(string ownerKey, CancellationToken cancellationToken) => inner.ListConnectionsAsync(ownerKey, cancellationToken);
        public Task<bool> DeleteConnectionAsync(string ownerKey, string connectionKey, CancellationToken cancellationToken) => inner.DeleteConnectionAsync(ownerKey, connectionKey, cancellationToken);
    }
}
