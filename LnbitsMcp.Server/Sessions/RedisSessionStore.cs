using System.Globalization;
using LnbitsMcp.Server.Mcp;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// Sessions in Redis, shared by every server instance. One hash per session (<c>doc</c> with
/// encrypted credentials, <c>last</c> access time), expiring by Redis TTL after the idle timeout;
/// every read refreshes the TTL in the same round trip (a Lua script). Sorted sets keyed by owner
/// and client address (scores = expiry) enforce the caps atomically and count live sessions.
/// </summary>
public sealed class RedisSessionStore(
    IConnectionMultiplexer redis,
    SessionDocumentSerializer serializer,
    TimeProvider time,
    IOptions<SessionsOptions> options) : ISessionStore
{
    private static readonly LuaScript s_create = LuaScript.Prepare("""
        local now = tonumber(@now)
        if @ownerSet ~= '' then
          redis.call('ZREMRANGEBYSCORE', @ownerSet, '-inf', now)
          if redis.call('ZCARD', @ownerSet) >= tonumber(@maxOwner) then return {-1, redis.call('ZCARD', @ownerSet)} end
        end
        if @addressSet ~= '' then
          redis.call('ZREMRANGEBYSCORE', @addressSet, '-inf', now)
          if redis.call('ZCARD', @addressSet) >= tonumber(@maxAddress) then return {-2, redis.call('ZCARD', @addressSet)} end
        end
        redis.call('HSET', @key, 'doc', @doc, 'last', now, 'owner_set', @ownerSet, 'address_set', @addressSet, 'ttl', @ttl)
        redis.call('PEXPIRE', @key, @ttl)
        for _, set in ipairs({@ownerSet, @addressSet, @allSet}) do
          if set ~= '' then
            redis.call('ZADD', set, @expiresAt, @member)
            redis.call('PEXPIRE', set, @ttl)
          end
        end
        return {1, 0}
        """);

    // Reads a session and slides its expiry (and its entries in the count sets) in one round trip.
    private const string TouchBody = """
        local values = redis.call('HMGET', sessionKey, 'doc', 'owner_set', 'address_set', 'ttl')
        if not values[1] then return false end
        if values[4] then
          ttl = tonumber(values[4])
          expiresAt = tonumber(now) + ttl
        end
        redis.call('HSET', sessionKey, 'last', now)
        redis.call('PEXPIRE', sessionKey, ttl)
        for _, set in ipairs({values[2], values[3], allSet}) do
          if set and set ~= '' then redis.call('ZADD', set, expiresAt, member) end
        end
        """;

    private static readonly LuaScript s_touch = LuaScript.Prepare($$"""
        local sessionKey, allSet, member = @key, @allSet, @member
        local now, ttl, expiresAt = @now, @ttl, @expiresAt
        {{TouchBody}}
        return values[1]
        """);

    private static readonly LuaScript s_touchByTransport = LuaScript.Prepare($$"""
        local member = redis.call('GET', @transportKey)
        if not member then return false end
        local sessionKey = @sessionPrefix .. member
        local allSet, now, ttl, expiresAt = @allSet, @now, @ttl, @expiresAt
        {{TouchBody}}
        redis.call('PEXPIRE', @transportKey, ttl)
        redis.call('PEXPIRE', @mcpSessionKey, ttl)
        return {member, values[1]}
        """);

    private static readonly LuaScript s_save = LuaScript.Prepare("""
        if redis.call('EXISTS', @key) == 0 then return 0 end
        local ttl = tonumber(redis.call('HGET', @key, 'ttl') or @ttl)
        redis.call('HSET', @key, 'doc', @doc, 'last', @now)
        redis.call('PEXPIRE', @key, ttl)
        return 1
        """);

    private static readonly LuaScript s_count = LuaScript.Prepare("""
        redis.call('ZREMRANGEBYSCORE', @allSet, '-inf', @now)
        return redis.call('ZCARD', @allSet)
        """);

    private TimeSpan IdleTimeout => options.Value.IdleTimeout;

    private IDatabase Database => redis.GetDatabase();

    public async Task<CreatedSession> CreateAsync(SessionCreation request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var id = SessionId.New();
        var session = new AppSession { Key = SessionId.Key(id), Owner = request.Owner, CreatedAt = now, LastAccessedAt = now, IdleTimeout = request.IdleTimeout };
        var idle = request.IdleTimeout ?? IdleTimeout;
        var expiresAt = now + idle;
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(s_create, new
        {
            key = (RedisKey)RedisKeys.Session(session.Key),
            ownerSet = request.Owner is null ? string.Empty : RedisKeys.OwnerSessions(request.Owner),
            addressSet = request.ClientAddress is null ? string.Empty : RedisKeys.AddressSessions(request.ClientAddress),
            allSet = RedisKeys.AllSessions,
            doc = serializer.Serialize(session),
            now = now.ToUnixTimeMilliseconds(),
            ttl = (long)idle.TotalMilliseconds,
            expiresAt = expiresAt.ToUnixTimeMilliseconds(),
            member = session.Key,
            maxOwner = options.Value.MaxPerOwner,
            maxAddress = options.Value.MaxPerClientAddress,
        }))!;
        var outcome = (int)result[0];
        var count = (long)result[1];
        if (outcome < 0)
        {
            SessionCaps.Enforce(
                ownerCount: outcome == -1 ? count : 0,
                addressCount: outcome == -2 ? count : 0,
                request,
                options.Value);
            throw new ToolException(ToolErrorCodes.LimitExceeded, "Too many live sessions.");
        }

        return new CreatedSession(id, session, expiresAt);
    }

    public async Task<AppSession?> FindAsync(string sessionKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var result = await Database.ScriptEvaluateAsync(s_touch, new
        {
            key = RedisKeys.Session(sessionKey),
            allSet = RedisKeys.AllSessions,
            member = sessionKey,
            now = now.ToUnixTimeMilliseconds(),
            ttl = (long)IdleTimeout.TotalMilliseconds,
            expiresAt = (now + IdleTimeout).ToUnixTimeMilliseconds(),
        });
        return result.IsNull ? null : serializer.Deserialize(sessionKey, (string)result!, now);
    }

    public async Task<AppSession?> FindByTransportAsync(string transportSessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var result = await Database.ScriptEvaluateAsync(s_touchByTransport, new
        {
            transportKey = (RedisKey)RedisKeys.Transport(transportSessionId),
            mcpSessionKey = (RedisKey)RedisKeys.McpSession(transportSessionId),
            sessionPrefix = RedisKeys.Session(string.Empty),
            allSet = RedisKeys.AllSessions,
            now = now.ToUnixTimeMilliseconds(),
            ttl = (long)IdleTimeout.TotalMilliseconds,
            expiresAt = (now + IdleTimeout).ToUnixTimeMilliseconds(),
        });
        if (result.IsNull || result.Resp2Type != ResultType.Array)
        {
            return null;
        }

        var parts = (RedisResult[])result!;
        return serializer.Deserialize((string)parts[0]!, (string)parts[1]!, now);
    }

    public Task BindTransportAsync(string transportSessionId, string sessionKey, CancellationToken cancellationToken) =>
        Database.StringSetAsync(RedisKeys.Transport(transportSessionId), sessionKey, IdleTimeout);

    public async Task<bool> SaveAsync(AppSession session, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var saved = await Database.ScriptEvaluateAsync(s_save, new
        {
            key = (RedisKey)RedisKeys.Session(session.Key),
            doc = serializer.Serialize(session),
            now = now.ToUnixTimeMilliseconds(),
            ttl = (long)IdleTimeout.TotalMilliseconds,
        });
        return (int)saved == 1;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken) =>
        (long)await Database.ScriptEvaluateAsync(s_count, new
        {
            allSet = (RedisKey)RedisKeys.AllSessions,
            now = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        });
}
