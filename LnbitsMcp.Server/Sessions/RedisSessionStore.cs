using System.Globalization;
using LnbitsMcp.Server.Mcp;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// Sessions in Redis, shared by every server instance, on one node or a Redis Cluster (every script
/// touches the keys of one hash slot only; see <see cref="RedisKeys"/>).
/// <para>One hash per session (<c>doc</c> with encrypted credentials, its version <c>v</c>, <c>last</c> slide
/// time, its own idle timeout <c>ttl</c>) expires by Redis TTL after the idle timeout. A read is one round trip (a Lua script) that slides the
/// expiry at most every <see cref="SlideInterval"/> (to the idle timeout plus that interval plus <see cref="RecentWindow"/>,
/// so a used session never expires earlier than an idle timeout after its last use) and returns the document only when its
/// version differs from the one this instance holds decrypted: a session document is decrypted once per
/// version, not once per call.</para>
/// <para>The caps and the count use sorted sets of other slots (per owner, per client address, and 16
/// shards of live sessions) whose scores are expiry times. A session enters them when it is created
/// (the caps checked and the entry added atomically per set) and renews its entries, and its transport
/// binding's lifetime, at most every quarter of the idle timeout, to a quarter beyond its own expiry.
/// So a set never forgets a live session (the caps hold) and may count a gone one for up to a quarter
/// of the idle timeout (the count is approximate by that much).</para>
/// <para>A read-only call (<see cref="SessionFreshness.Recent"/>) costs no round trip when this instance confirmed
/// its copy within <see cref="RecentWindow"/>; the slide adds that window, so such a use never outlives the expiry.
/// An instance that changes a session says so on <see cref="RedisKeys.SessionChangesChannel"/>, and the others drop
/// their copies (all of them when their connection to Redis was lost, as messages may have been missed then).</para>
/// <para>Which session an MCP transport session is bound to is kept in the transport's own key, and
/// remembered by this instance, so that a call on a known transport still costs one round trip. That a transport
/// has no session serves read-only calls for <see cref="RecentWindow"/> too, as a copy does.</para>
/// </summary>
public sealed class RedisSessionStore(
    IConnectionMultiplexer redis,
    SessionDocumentSerializer serializer,
    TimeProvider time,
    IOptions<SessionsOptions> options) : ISessionStore, IDisposable
{
    // Checks one cap set and adds the new session to it, atomically (KEYS[1] = the set).
    private static readonly LuaScript s_admit = LuaScript.Prepare("""
        redis.call('ZREMRANGEBYSCORE', @set, '-inf', @now)
        local count = redis.call('ZCARD', @set)
        if count >= tonumber(@cap) then return {0, count} end
        redis.call('ZADD', @set, @expiresAt, @member)
        if redis.call('PTTL', @set) < tonumber(@ttl) then redis.call('PEXPIRE', @set, @ttl) end
        return {1, count}
        """);

    // Adds or renews an index entry (KEYS[1] = the set) and keeps the set alive as long as its newest entry.
    private static readonly LuaScript s_index = LuaScript.Prepare("""
        redis.call('ZADD', @set, @expiresAt, @member)
        if redis.call('PTTL', @set) < tonumber(@ttl) then redis.call('PEXPIRE', @set, @ttl) end
        return 1
        """);

    // Lengthens a key's lifetime, never shortens it (KEYS[1] = the key; a missing key stays missing).
    private static readonly LuaScript s_extend = LuaScript.Prepare("""
        if redis.call('PTTL', @key) < tonumber(@ttl) then return redis.call('PEXPIRE', @key, @ttl) end
        return 1
        """);

    private static readonly LuaScript s_create = LuaScript.Prepare("""
        redis.call('HSET', @key, 'doc', @doc, 'v', 1, 'last', @now, 'renewed', @now, 'owner_set', @owner, 'address_set', @address, 'ttl', @ttl)
        redis.call('PEXPIRE', @key, tonumber(@ttl) + tonumber(@slide))
        return 1
        """);

    // Reads a session's version (and its document when the caller's known version differs), slides its
    // expiry when the last slide is older than slideBefore, and, when its index entries are due for
    // renewal, returns the names of the keys to renew (stored at creation and binding; renewed by the
    // caller, as they live in other slots). Reply: {version, doc or false[, owner set, address set,
    // transport, initialize]}; false when the session is gone.
    private static readonly LuaScript s_touch = LuaScript.Prepare("""
        local values = redis.call('HMGET', @key, 'v', 'last', 'renewed', 'owner_set', 'address_set', 'transport', 'initialize', 'ttl')
        if not values[2] then return false end
        local version = values[1] or '0'
        local doc = false
        if version ~= @known then doc = redis.call('HGET', @key, 'doc') end
        if tonumber(values[2]) <= tonumber(@slideBefore) then
          redis.call('PEXPIRE', @key, tonumber(values[8] or @ttl) + tonumber(@slide))
          redis.call('HSET', @key, 'last', @now)
        end
        if tonumber(values[3] or '0') > tonumber(@renewBefore) then return {version, doc} end
        redis.call('HSET', @key, 'renewed', @now)
        return {version, doc, values[4] or '', values[5] or '', values[6] or '', values[7] or ''}
        """);

    // Replaces a live session's document; returns its new version (0 when the session is gone).
    private static readonly LuaScript s_save = LuaScript.Prepare("""
        if redis.call('EXISTS', @key) == 0 then return 0 end
        redis.call('HSET', @key, 'doc', @doc, 'last', @now)
        redis.call('PEXPIRE', @key, tonumber(redis.call('HGET', @key, 'ttl') or @ttl) + tonumber(@slide))
        return redis.call('HINCRBY', @key, 'v', 1)
        """);

    private static readonly LuaScript s_bind = LuaScript.Prepare("""
        if redis.call('EXISTS', @key) == 0 then return 0 end
        redis.call('HSET', @key, 'transport', @transport)
        redis.call('HDEL', @key, 'initialize')
        return 1
        """);

    private static readonly LuaScript s_count = LuaScript.Prepare("""
        redis.call('ZREMRANGEBYSCORE', @set, '-inf', @now)
        return redis.call('ZCARD', @set)
        """);

    private readonly MemoryCache _transports = new(new MemoryCacheOptions { SizeLimit = 100_000 });
    private readonly MemoryCache _documents = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    private readonly MemoryCache _unboundTransports = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    private TimeSpan IdleTimeout => options.Value.IdleTimeout;

    /// <summary>
    /// A read slides a session's expiry only when the last slide is older than this: 5 seconds, or a tenth
    /// of a short idle timeout. The slide sets the expiry to the idle timeout plus this interval.
    /// </summary>
    public TimeSpan SlideInterval => SlideIntervalFor(IdleTimeout);

    public static TimeSpan SlideIntervalFor(TimeSpan idleTimeout) => TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, idleTimeout.Ticks / 10));

    /// <summary>
    /// How long a copy confirmed with Redis serves <see cref="SessionFreshness.Recent"/> reads without asking again:
    /// one second, or a tenth of a short idle timeout.
    /// </summary>
    public TimeSpan RecentWindow => TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, IdleTimeout.Ticks / 10));

    /// <summary>Whether what Redis said at <paramref name="confirmedAt"/> still serves a <see cref="SessionFreshness.Recent"/> read (a clock set back never extends it).</summary>
    private bool ConfirmedRecently(DateTimeOffset confirmedAt, DateTimeOffset now) => now - confirmedAt < RecentWindow && now >= confirmedAt;

    /// <summary>How far beyond its idle timeout a write or slide sets a session's expiry: the slide interval and the recent window, in ms.</summary>
    private long ExpiryMarginMs => (long)(SlideInterval + RecentWindow).TotalMilliseconds;

    /// <summary>How many decrypted session documents this instance holds (a test reads it).</summary>
    public int CachedDocuments => _documents.Count;

    /// <summary>How often a used session renews its index entries and transport binding.</summary>
    private TimeSpan RenewalInterval => IdleTimeout / 4;

    /// <summary>Lifetime of index entries and bindings when written: beyond the session's own expiry until its next renewal.</summary>
    private TimeSpan IndexLifetime => EntryLifetime(IdleTimeout);

    /// <summary>
    /// What a session's index entries and its transport's keys live when written or renewed: the idle
    /// timeout plus the renewal interval (a quarter of it), so they outlive the session between renewals.
    /// </summary>
    public static TimeSpan EntryLifetime(TimeSpan idleTimeout) => idleTimeout + (idleTimeout / 4);

    private IDatabase Database => redis.GetDatabase();

    public async Task<CreatedSession> CreateAsync(SessionCreation request, CancellationToken cancellationToken)
    {
        _ = ListeningAsync(); // before any copy of this session could serve a recent read

        var now = time.GetUtcNow();
        var id = SessionId.New();
        var session = new AppSession { Key = SessionId.Key(id), Owner = request.Owner, CreatedAt = now, LastAccessedAt = now, IdleTimeout = request.IdleTimeout };
        var idle = request.IdleTimeout ?? IdleTimeout; // OAuth connections: their own, longer idle timeout (kept in the hash as 'ttl')
        var ownerSet = request.Owner is null ? null : RedisKeys.OwnerSessions(request.Owner);
        var addressSet = request.ClientAddress is null ? null : RedisKeys.AddressSessions(request.ClientAddress);

        // The caps: each set checked and entered atomically in its own slot; a refusal by one undoes the other.
        var admissions = await Task.WhenAll(
            AdmitAsync(ownerSet, options.Value.MaxPerOwner, session.Key, now),
            AdmitAsync(addressSet, options.Value.MaxPerClientAddress, session.Key, now));
        var (owner, address) = (admissions[0], admissions[1]);
        if (!owner.Admitted || !address.Admitted)
        {
            await LeaveAsync(owner.Admitted ? ownerSet : null, address.Admitted ? addressSet : null, session.Key);
            SessionCaps.Enforce(owner.Admitted ? 0 : owner.Count, address.Admitted ? 0 : address.Count, request, options.Value);
            throw new ToolException(ToolErrorCodes.LimitExceeded, "Too many live sessions.");
        }

        try
        {
            await Task.WhenAll(
                Database.ScriptEvaluateAsync(s_create, new
                {
                    key = (RedisKey)RedisKeys.Session(session.Key),
                    doc = serializer.Serialize(session),
                    now = now.ToUnixTimeMilliseconds(),
                    ttl = (long)idle.TotalMilliseconds,
                    slide = ExpiryMarginMs,
                    owner = request.Owner ?? string.Empty,
                    address = request.ClientAddress is null ? string.Empty : RedisKeys.Hashed(request.ClientAddress),
                }),
                IndexAsync(RedisKeys.LiveSessionsOf(session.Key), session.Key, now));
            await redis.WaitForReplicaAsync(RedisKeys.Session(session.Key));
            Remember(session.Key, new CachedDocument("1", session, now));
        }
        catch (Exception ex) when (RedisFailure.Is(ex))
        {
            await LeaveAsync(ownerSet, addressSet, session.Key);
            throw;
        }

        return new CreatedSession(id, session, now + idle);
    }

    public Task<AppSession?> FindAsync(string sessionKey, CancellationToken cancellationToken) =>
        FindAsync(sessionKey, SessionFreshness.Current, cancellationToken);

    public async Task<AppSession?> FindAsync(string sessionKey, SessionFreshness freshness, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cached = _documents.Get<CachedDocument>(sessionKey);
        var listening = ListeningAsync();
        if (freshness == SessionFreshness.Recent)
        {
            await listening;
        }

        if (freshness == SessionFreshness.Recent && _listening && cached is not null && ConfirmedRecently(cached.ConfirmedAt, now)
            && Database.IsConnected(RedisKeys.Session(sessionKey)))
        {
            return cached.Session with { LastAccessedAt = now };
        }

        var result = await Database.ScriptEvaluateAsync(s_touch, new
        {
            key = (RedisKey)RedisKeys.Session(sessionKey),
            now = now.ToUnixTimeMilliseconds(),
            ttl = (long)IdleTimeout.TotalMilliseconds,
            slide = ExpiryMarginMs,
            slideBefore = (now - SlideInterval).ToUnixTimeMilliseconds(),
            renewBefore = (now - RenewalInterval).ToUnixTimeMilliseconds(),
            known = cached?.Version ?? string.Empty,
        });
        if (result.IsNull)
        {
            _documents.Remove(sessionKey);
            return null;
        }

        var values = (RedisResult[])result!;
        if (values.Length > 2)
        {
            await RenewAsync(sessionKey, [.. values.Skip(2).Select(v => (string?)v)], now);
        }

        var version = (string)values[0]!;
        cached = cached is null || cached.Version != version
            ? new CachedDocument(version, serializer.Deserialize(sessionKey, (string)values[1]!, now), now)
            : cached with { ConfirmedAt = now };
        Remember(sessionKey, cached);

        return cached.Session with { LastAccessedAt = now };
    }

    public Task<AppSession?> FindByTransportAsync(string transportSessionId, CancellationToken cancellationToken) =>
        FindByTransportAsync(transportSessionId, SessionFreshness.Current, cancellationToken);

    public async Task<AppSession?> FindByTransportAsync(string transportSessionId, SessionFreshness freshness, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (freshness == SessionFreshness.Recent && _unboundTransports.TryGetValue(transportSessionId, out DateTimeOffset confirmedUnbound)
            && ConfirmedRecently(confirmedUnbound, now) && redis.IsConnected)
        {
            return null;
        }

        // Remembered by the id itself (this process's memory, as the SDK holds it): hashed only to ask Redis.
        string? tried = null;
        if (_transports.TryGetValue(transportSessionId, out string? remembered) && remembered is not null)
        {
            if (await FindAsync(remembered, freshness, cancellationToken) is { } session)
            {
                return session;
            }

            tried = remembered;
            _transports.Remove(transportSessionId);
        }

        var bound = (string?)await Database.StringGetAsync(RedisKeys.Transport(transportSessionId));
        if (bound is null || bound == tried || await FindAsync(bound, cancellationToken) is not { } found)
        {
            RememberUnbound(transportSessionId, now);
            return null;
        }

        RememberTransport(transportSessionId, bound);
        return found;
    }

    public async Task BindTransportAsync(string transportSessionId, string sessionKey, CancellationToken cancellationToken)
    {
        var transportKey = RedisKeys.Transport(transportSessionId);
        var initializeKey = RedisKeys.McpSession(transportSessionId);
        await Task.WhenAll(
            Database.StringSetAsync(transportKey, sessionKey, IndexLifetime),
            ExtendAsync(initializeKey),
            Database.ScriptEvaluateAsync(s_bind, new
            {
                key = (RedisKey)RedisKeys.Session(sessionKey),
                transport = RedisKeys.Hashed(transportSessionId),
            }));
        await redis.WaitForReplicaAsync(transportKey);
        RememberTransport(transportSessionId, sessionKey);
    }

    public async Task<bool> SaveAsync(AppSession session, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = RedisKeys.Session(session.Key);
        var version = (long)await Database.ScriptEvaluateAsync(s_save, new
        {
            key = (RedisKey)key,
            doc = serializer.Serialize(session),
            now = now.ToUnixTimeMilliseconds(),
            ttl = (long)IdleTimeout.TotalMilliseconds,
            slide = ExpiryMarginMs,
        });
        if (version == 0)
        {
            _documents.Remove(session.Key);
            return false;
        }

        Remember(session.Key, new CachedDocument(version.ToString(CultureInfo.InvariantCulture), session, now));
        await Task.WhenAll(redis.WaitForReplicaAsync(key), AnnounceChangeAsync(session.Key));
        return true;
    }

    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly Lock _listenGate = new();
    private Task _listenAttempt = Task.CompletedTask;
    private volatile bool _listening;

    /// <summary>
    /// Listening to the other instances' session changes: done, or the one attempt in flight (a new one when the
    /// last failed, e.g. while Redis is away); until it succeeds no copy serves a recent read.
    /// </summary>
    private Task ListeningAsync()
    {
        if (_listening)
        {
            return Task.CompletedTask;
        }

        lock (_listenGate)
        {
            if (!_listening && _listenAttempt.IsCompleted)
            {
                _listenAttempt = ListenForChangesAsync();
            }

            return _listenAttempt;
        }
    }

    /// <summary>Subscribes to the other instances' session changes (run by <see cref="ListeningAsync"/>, one at a time).</summary>
    private async Task ListenForChangesAsync()
    {
        try
        {
            await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisKeys.SessionChangesChannel), (_, message) =>
            {
                var text = (string?)message;
                if (text is not null && !text.StartsWith(_instance, StringComparison.Ordinal) && text.IndexOf(' ', StringComparison.Ordinal) is var space and > 0)
                {
                    _documents.Remove(text[(space + 1)..]);
                }
            });
            redis.ConnectionFailed += (_, _) => _documents.Clear(); // messages may be missed while away
            redis.ConnectionRestored += (_, _) => _documents.Clear();
            _documents.Clear(); // copies made before the subscription may have missed a change
            _listening = true;
        }
        catch (Exception ex) when (RedisFailure.Is(ex))
        {
            // Not listening yet: reads stay current; the next read tries again.
        }
    }

    /// <summary>Tells the other instances that a session changed (best effort: their copies are at most <see cref="RecentWindow"/> old anyway).</summary>
    private async Task AnnounceChangeAsync(string sessionKey)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(RedisKeys.SessionChangesChannel), _instance + " " + sessionKey);
        }
        catch (Exception ex) when (RedisFailure.Is(ex))
        {
        }
    }

    /// <summary>The live sessions over every shard (approximate: a gone session may count for up to a quarter of the idle timeout).</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var counts = await Task.WhenAll(Enumerable.Range(0, RedisKeys.LiveSessionShards).Select(shard =>
            Database.ScriptEvaluateAsync(s_count, new { set = (RedisKey)RedisKeys.LiveSessions(shard), now })));
        return counts.Sum(count => (long)count);
    }

    public void Dispose()
    {
        _transports.Dispose();
        _documents.Dispose();
        _unboundTransports.Dispose();
    }

    private async Task<(bool Admitted, long Count)> AdmitAsync(string? set, int cap, string sessionKey, DateTimeOffset now)
    {
        if (set is null)
        {
            return (true, 0);
        }

        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(s_admit, new
        {
            set = (RedisKey)set,
            now = now.ToUnixTimeMilliseconds(),
            cap,
            expiresAt = (now + IndexLifetime).ToUnixTimeMilliseconds(),
            member = sessionKey,
            ttl = (long)IndexLifetime.TotalMilliseconds,
        }))!;
        return ((int)result[0] == 1, (long)result[1]);
    }

    /// <summary>Best effort: takes a session that was not created out of the cap sets (else it counts until its entry expires).</summary>
    private async Task LeaveAsync(string? ownerSet, string? addressSet, string sessionKey)
    {
        foreach (var set in new[] { ownerSet, addressSet }.OfType<string>())
        {
            try
            {
                await Database.SortedSetRemoveAsync(set, sessionKey);
            }
            catch (Exception ex) when (RedisFailure.Is(ex))
            {
                // Its entry expires by its score.
            }
        }
    }

    private Task IndexAsync(string set, string sessionKey, DateTimeOffset now) =>
        Database.ScriptEvaluateAsync(s_index, new
        {
            set = (RedisKey)set,
            expiresAt = (now + IndexLifetime).ToUnixTimeMilliseconds(),
            member = sessionKey,
            ttl = (long)IndexLifetime.TotalMilliseconds,
        });

    private Task ExtendAsync(string key) =>
        Database.ScriptEvaluateAsync(s_extend, new { key = (RedisKey)key, ttl = (long)IndexLifetime.TotalMilliseconds });

    /// <summary>
    /// Renews a session's entries in the cap and count sets and its transport binding (other slots).
    /// Best effort: when a node fails meanwhile the call still gets its session, and the renewal is
    /// marked due again so that the next call retries it.
    /// </summary>
    /// <param name="stored">The hash's owner, address and transport ids ('' when none; see <see cref="IndexKeys"/>).</param>
    private async Task RenewAsync(string sessionKey, string?[] stored, DateTimeOffset now)
    {
        var (sets, keys) = IndexKeys(stored);
        var renewals = new List<Task> { IndexAsync(RedisKeys.LiveSessionsOf(sessionKey), sessionKey, now) };
        renewals.AddRange(sets.Select(set => IndexAsync(set, sessionKey, now)));
        renewals.AddRange(keys.Select(ExtendAsync));
        try
        {
            await Task.WhenAll(renewals);
        }
        catch (Exception ex) when (RedisFailure.Is(ex))
        {
            try
            {
                await Database.HashSetAsync(RedisKeys.Session(sessionKey), "renewed", 0);
            }
            catch (Exception again) when (RedisFailure.Is(again))
            {
                // The entries live a quarter of the idle timeout beyond the session's expiry at their last renewal.
            }
        }
    }

    /// <summary>
    /// The keys a session keeps alive, from what its hash stores: the ids of its owner, client address and
    /// transport (<c>owner_set</c>, <c>address_set</c>, <c>transport</c>), not the keys' names, so that every
    /// value of an idle session's hash stays short and Redis keeps it in its compact encoding (a listpack,
    /// values of at most 64 bytes). Hashes written before kept whole key names (and <c>initialize</c>); those
    /// are used as they are.
    /// </summary>
    /// <param name="stored">owner_set, address_set, transport, initialize ('' or null when none).</param>
    private static (List<string> Sets, List<string> Keys) IndexKeys(string?[] stored)
    {
        static bool IsKeyName(string value) => value.StartsWith(RedisKeys.Prefix, StringComparison.Ordinal);
        var sets = new List<string>(2);
        var keys = new List<string>(2);
        if (stored.ElementAtOrDefault(0) is { Length: > 0 } owner)
        {
            sets.Add(IsKeyName(owner) ? owner : RedisKeys.OwnerSessions(owner));
        }

        if (stored.ElementAtOrDefault(1) is { Length: > 0 } address)
        {
            sets.Add(IsKeyName(address) ? address : RedisKeys.AddressSessionsOfId(address));
        }

        if (stored.ElementAtOrDefault(2) is { Length: > 0 } transport)
        {
            keys.AddRange(IsKeyName(transport) ? [transport] : [RedisKeys.TransportOfId(transport), RedisKeys.McpSessionOfId(transport)]);
        }

        if (stored.ElementAtOrDefault(3) is { Length: > 0 } initialize)
        {
            keys.Add(initialize);
        }

        return (sets, keys);
    }

    /// <summary>
    /// Keeps a session's decrypted document with its version (a few minutes unused at most; bounded). A
    /// version written by any instance differs from it, so the next read fetches and decrypts the new one.
    /// </summary>
    private void Remember(string sessionKey, CachedDocument document) =>
        _documents.Set(sessionKey, document, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = DocumentCacheLifetime });

    private static readonly TimeSpan DocumentCacheLifetime = TimeSpan.FromMinutes(5);

    /// <param name="ConfirmedAt">When Redis last said this is the live session's current version.</param>
    private sealed record CachedDocument(string Version, AppSession Session, DateTimeOffset ConfirmedAt);

    private void RememberTransport(string transportSessionId, string sessionKey)
    {
        _unboundTransports.Remove(transportSessionId);
        _transports.Set(transportSessionId, sessionKey, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = RenewalInterval });
    }

    /// <summary>
    /// Remembers when Redis said this transport has no live session, for <see cref="SessionFreshness.Recent"/> reads
    /// within <see cref="RecentWindow"/>: a connection that never configured a session (its wallet from headers, or
    /// the operator's) would otherwise ask Redis on every read-only call, in vain.
    /// </summary>
    private void RememberUnbound(string transportSessionId, DateTimeOffset confirmedAt) =>
        _unboundTransports.Set(transportSessionId, confirmedAt, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = RecentWindow * 2 }); // the time it was confirmed decides; this only frees the entry
}
