using System.Security.Claims;
using LnbitsMcp.Server.Sessions;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Auth;

/// <summary>
/// OAuth connections: each is a session (owned by the consenting browser's user id) holding the wallet and
/// limits chosen on the connect page, plus a record (client, scopes, current refresh token) that every token
/// of the connection is checked against. Revoking deletes the record and answers once no instance still trusts
/// an earlier confirmation that it was live (<see cref="ConnectionLiveness"/>), so from then on every request with
/// any of its tokens is refused on every instance; it also wipes the session's credentials.
/// </summary>
public sealed class Connections(IOAuthStore store, ISessionStore sessions, ConnectionLiveness liveness, TimeProvider time, IOptions<AuthOptions> options)
{
    private static readonly Task<bool> s_live = Task.FromResult(true);

    /// <summary>How long a connection waits for its first authorization code to be redeemed.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(10);

    public const string PendingRefresh = "pending";

    public async Task<ConnectionRecord> CreateAsync(string subject, OAuthClient client, LnbitsSettings settings, SessionLimits limits, bool readOnly, CancellationToken cancellationToken)
    {
        settings.RegisterSecrets(options.Value.RefreshTokenLifetime); // verified by LNbits: kept out of telemetry while the connection may live
        var owner = OwnerKey.OfSubject(subject);
        var created = await sessions.CreateAsync(new SessionCreation(owner, null, options.Value.RefreshTokenLifetime), cancellationToken);
        await sessions.SaveAsync(created.Session with { Lnbits = settings, Limits = limits }, cancellationToken);
        var now = time.GetUtcNow();
        var record = new ConnectionRecord
        {
            ConnectionKey = created.Session.Key,
            OwnerKey = owner,
            ClientId = client.ClientId,
            ClientName = client.Name,
            CreatedAt = now,
            LastUsedAt = now,
            Scopes = GrantedScopes(settings.KeyType, readOnly),
            RefreshId = PendingRefresh,
        };
        await store.SaveConnectionAsync(record, PendingLifetime, cancellationToken);
        return record;
    }

    /// <summary>An invoice key, or the read-only box, grants reading only.</summary>
    public static string[] GrantedScopes(KeyType keyType, bool readOnly) =>
        keyType == KeyType.Admin && !readOnly ? [OAuthScopes.WalletRead, OAuthScopes.WalletPay] : [OAuthScopes.WalletRead];

    /// <summary>
    /// Checks that the token's connection is live and records the use (the store is asked at most once per
    /// <see cref="ConnectionLiveness.TrustedFor"/> per connection on this instance); false = revoked or expired.
    /// </summary>
    public Task<bool> TouchAsync(ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        Identify(principal) is not { } id ? Task.FromResult(false)
        : liveness.RecentlyConfirmed(id.Owner, id.Connection) ? s_live
        : ReadLivenessAsync(id.Owner, id.Connection, cancellationToken);

    private async Task<bool> ReadLivenessAsync(string owner, string connection, CancellationToken cancellationToken)
    {
        var readStartedAt = liveness.ReadStarts();
        if (await store.TouchConnectionAsync(owner, connection, time.GetUtcNow(), options.Value.RefreshTokenLifetime, cancellationToken))
        {
            liveness.Confirmed(owner, connection, readStartedAt);
            return true;
        }

        liveness.Forget(owner, connection);
        return false;
    }

    /// <summary>Moves the connection's refresh token on; a reused one revokes the connection, answered as a revocation is.</summary>
    public async Task<RefreshRotation> RotateAsync(ClaimsPrincipal principal, string expected, string next, CancellationToken cancellationToken)
    {
        if (Identify(principal) is not { } id)
        {
            return RefreshRotation.Gone;
        }

        var rotation = await store.RotateRefreshAsync(id.Owner, id.Connection, expected, next, time.GetUtcNow(), options.Value.RefreshTokenLifetime, cancellationToken);
        if (rotation == RefreshRotation.Reused)
        {
            await EndedAsync(id.Owner, id.Connection);
        }

        return rotation;
    }

    public async Task<IReadOnlyList<ConnectionRecord>> ListAsync(string subject, CancellationToken cancellationToken) =>
        [.. (await store.ListConnectionsAsync(OwnerKey.OfSubject(subject), cancellationToken)).Where(c => c.RefreshId != PendingRefresh)];

    public async Task<bool> RevokeAsync(string ownerKey, string connectionKey, CancellationToken cancellationToken)
    {
        var removed = await store.DeleteConnectionAsync(ownerKey, connectionKey, cancellationToken);
        if (await sessions.FindAsync(connectionKey, cancellationToken) is { } session && session.Owner == ownerKey)
        {
            await sessions.SaveAsync(session with { Lnbits = null }, cancellationToken); // no credentials stay at rest
        }

        if (removed)
        {
            await EndedAsync(ownerKey, connectionKey);
        }

        return removed;
    }

    /// <summary>The store has the connection ended: this instance refuses it at once, every other one by the time this returns.</summary>
    private async Task EndedAsync(string ownerKey, string connectionKey)
    {
        liveness.Forget(ownerKey, connectionKey);
        await liveness.OutlastConfirmationsAsync();
    }

    public Task<bool> RevokeAsync(ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        Identify(principal) is { } id ? RevokeAsync(id.Owner, id.Connection, cancellationToken) : Task.FromResult(false);

    /// <summary>The owner key and connection key a token names, or null for a token without a connection.</summary>
    public static (string Owner, string Connection)? Identify(ClaimsPrincipal? principal) =>
        principal?.FindFirst(OAuthScopes.ConnectionClaim)?.Value is { Length: > 0 } connection
        && OwnerKey.Of(principal) is { } owner
            ? (owner, connection)
            : null;
}
