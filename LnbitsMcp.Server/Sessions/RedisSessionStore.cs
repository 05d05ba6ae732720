using System.Globalization;
using LnbitsMcp.Server.Mcp;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// Sessions in Redis, shared by every server instance, on one node or a Redis Cluster (every script
/// touches the keys of one hash slot only; see <see cref="RedisKeys"/>).
/// <para>One hash per session (<c>doc</c> with encrypted credentials, <c>last</c> access time) expires
/// by Redis TTL after the idle timeout; every read slides it in the same round trip (a Lua script).</para>
/// <para>The caps and the count use sorted sets of other slots (per owner, per client address, and 16
/// shards of live sessions) whose scores are expiry times. A session enters them when it is created
/// (the caps checked and the entry added atomically per set) and renews its entries, and its transport
/// binding's lifetime, at most every quarter of the idle timeout, to a quarter beyond its own expiry.
/// So a set never forgets a live session (the caps hold) and may count a gone one for up to a quarter
/// of the idle timeout (the count is approximate by that much).</para>
/// <para>Which session an MCP transport session is bound to is kept in the transport's own key, and
/// remembered by this instance, so that a call on a known transport still costs one round trip.</para>
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
        redis.call('HSET', @key, 'doc', @doc, 'last', @now, 'renewed', @now, 'owner_set', @ownerSet, 'address_set', @addressSet, 'ttl', @ttl)
        redis.call('PEXPIRE', @key, @ttl)
        return 1
        """);

    // Reads a session and slides its expiry; when its index entries are due for renewal, also returns
    // the names of the keys to renew (stored at creation and binding; renewed by the caller, as they
    // live in other slots).
    private static readonly LuaScript s_touch = LuaScript.Prepare("""
        local values = redis.call('HMGET', @key, 'doc', 'renewed', 'owner_set', 'address_set', 'transport', 'initialize', 'ttl')
        if not values[1] then return false end
        redis.call('PEXPIRE', @key, tonumber(values[7] or @ttl))
        if tonumber(values[2] or '0') > tonumber(@renewBefore) then
          redis.call('HSET', @key, 'last', @now)
          return {values[1]}
        end
        redis.call('HSET', @key, 'last', @now, 'renewed', @now)
        return {values[1], values[3] or '', values[4] or '', values[5] or '', values[6] or ''}
        """);

    private static readonly LuaScript s_save = LuaScript.Prepare("""
        if redis.call('EXISTS', @key) == 0 then return 0 end
        redis.call('HSET', @key, 'doc', @doc, 'last', @now)
        redis.call('PEXPIRE', @key, tonumber(redis.call('HGET', @key, 'ttl') or @ttl))
        return 1
        """);

    private static readonly LuaScript s_bind = LuaScript.Prepare("""
        if redis.call('EXISTS', @key) == 0 then return 0 end
        redis.call('HSET', @key, 'transport', @transport, 'initialize', @initialize)
        return 1
        """);

    private static readonly LuaScript s_count = LuaScript.Prepare("""
        redis.call('ZREMRANGEBYSCORE', @set, '-inf', @now)
        return redis.call('ZCARD', @set)
        """);

    private readonly MemoryCache _transports = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    private TimeSpan IdleTimeout => options.Value.IdleTimeout;

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
                    ownerSet = ownerSet ?? string.Empty,
                    addressSet = addressSet ?? string.Empty,
                }),
                IndexAsync(RedisKeys.LiveSessionsOf(session.Key), session.Key, now));
            await redis.WaitForReplicaAsync(RedisKeys.Session(session.Key));
        }
        catch (Exception ex) when (RedisFailure.Is(ex))
        {
            await LeaveAsync(ownerSet, addressSet, session.Key);
            throw;
        }

        return new CreatedSession(id, session, now + idle);
    }

    public async Task<AppSession?> FindAsync(string sessionKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var result = await Database.ScriptEvaluateAsync(s_touch, new
        {
            key = (RedisKey)RedisKeys.Session(sessionKey),
            now = now.ToUnixTimeMilliseconds(),
            ttl = (long)IdleTimeout.TotalMilliseconds,
            renewBefore = (now - RenewalInterval).ToUnixTimeMilliseconds(),
        });
        if (result.IsNull)
        {
            return null;
        }

        var values = (RedisResult[])result!;
        if (values.Length > 1)
        {
            await RenewAsync(sessionKey, [.. values.Skip(1).Select(v => (string?)v)], now);
        }

        return serializer.Deserialize(sessionKey, (string)values[0]!, now);
    }

    public async Task<AppSession?> FindByTransportAsync(string transportSessionId, CancellationToken cancellationToken)
    {
        var transportKey = RedisKeys.Transport(transportSessionId);
        string? tried = null;
        if (_transports.TryGetValue(transportKey, out string? remembered) && remembered is not null)
        {
            if (await FindAsync(remembered, cancellationToken) is { } session)
            {
                return session;
            }

            tried = remembered;
            _transports.Remove(transportKey);
        }

        var bound = (string?)await Database.StringGetAsync(transportKey);
        if (bound is null || bound == tried || await FindAsync(bound, cancellationToken) is not { } found)
        {
            return null;
        }

        Remember(transportKey, bound);
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
                transport = transportKey,
                initialize = initializeKey,
            }));
        await redis.WaitForReplicaAsync(transportKey);
        Remember(transportKey, sessionKey);
    }

    public async Task<bool> SaveAsync(AppSession session, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = RedisKeys.Session(session.Key);
        var saved = await Database.ScriptEvaluateAsync(s_save, new
        {
            key = (RedisKey)key,
            doc = serializer.Serialize(session),
            now = now.ToUnixTimeMilliseconds(),
            ttl = (long)IdleTimeout.TotalMilliseconds,
        });
        if ((int)saved != 1)
        {
            return false;
        }

        await redis.WaitForReplicaAsync(key);
        return true;
    }

    /// <summary>The live sessions over every shard (approximate: a gone session may count for up to a quarter of the idle timeout).</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var counts = await Task.WhenAll(Enumerable.Range(0, RedisKeys.LiveSessionShards).Select(shard =>
            Database.ScriptEvaluateAsync(s_count, new { set = (RedisKey)RedisKeys.LiveSessions(shard), now })));
        return counts.Sum(count => (long)count);
    }

    public void Dispose() => _transports.Dispose();

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
    /// <param name="names">owner set, address set, transport key, initialize key ('' when none).</param>
    private async Task RenewAsync(string sessionKey, string?[] names, DateTimeOffset now)
    {
        var renewals = new List<Task> { IndexAsync(RedisKeys.LiveSessionsOf(sessionKey), sessionKey, now) };
        renewals.AddRange(names.Take(2).Where(set => !string.IsNullOrEmpty(set)).Select(set => IndexAsync(set!, sessionKey, now)));
        renewals.AddRange(names.Skip(2).Where(key => !string.IsNullOrEmpty(key)).Select(key => ExtendAsync(key!)));
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

    private void Remember(string transportKey, string sessionKey) =>
        _transports.Set(transportKey, sessionKey, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = RenewalInterval });
}
