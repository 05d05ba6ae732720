using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Auth;

/// <summary>The authorization server's state in Redis, shared by every instance (see <see cref="OAuthRedisKeys"/>).</summary>
public sealed class RedisOAuthStore(IConnectionMultiplexer redis) : IOAuthStore
{
    // Whether the connection is live (every request asks: a revocation stops its tokens at once); its last use and
    // idle expiry are written at most every TouchInterval, not on every call (each write also grows the append-only file).
    // Used once the plain read of the last use (TouchConnectionAsync) finds it older than TouchInterval, or none.
    private static readonly LuaScript s_touch = LuaScript.Prepare("""
        local last = redis.call('HGET', @record, 'last')
        if not last then
          if redis.call('EXISTS', @record) == 0 then return 0 end
        elseif tonumber(last) > tonumber(@touchedAfter) then
          return 1
        end
        redis.call('HSET', @record, 'last', @now)
        redis.call('PEXPIRE', @record, @ttl)
        redis.call('PEXPIRE', @index, @ttl)
        return 1
        """);

    private const string LastUsedField = "last";

    /// <summary>A connection's last use (shown on /connections) and its idle expiry move at most this often.</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromSeconds(5);

    private static readonly LuaScript s_rotate = LuaScript.Prepare("""
        local current = redis.call('HGET', @record, 'refresh')
        if not current then return 0 end
        if current ~= @expected then
          redis.call('DEL', @record)
          redis.call('SREM', @index, @member)
          return -1
        end
        redis.call('HSET', @record, 'refresh', @next, 'last', @now)
        redis.call('PEXPIRE', @record, @ttl)
        redis.call('PEXPIRE', @index, @ttl)
        return 1
        """);

    private static readonly LuaScript s_save = LuaScript.Prepare("""
        redis.call('HSET', @record, 'owner', @owner, 'client_id', @clientId, 'client_name', @clientName,
          'created', @created, 'last', @last, 'scopes', @scopes, 'refresh', @refresh)
        redis.call('PEXPIRE', @record, @ttl)
        redis.call('SADD', @index, @member)
        redis.call('PEXPIRE', @index, @ttl)
        return 1
        """);

    private static readonly LuaScript s_delete = LuaScript.Prepare("""
        local removed = redis.call('DEL', @record)
        redis.call('SREM', @index, @member)
        return removed
        """);

    private IDatabase Database => redis.GetDatabase();

    /// <summary>A registration unused this long is forgotten (a client then registers again).</summary>
    public static readonly TimeSpan ClientIdleLifetime = TimeSpan.FromDays(180);

    public Task SaveClientAsync(RegisteredClient client, CancellationToken cancellationToken) =>
        Database.StringSetAsync(OAuthRedisKeys.Client(client.ClientId), JsonSerializer.Serialize(client, OAuthJson.Default.RegisteredClient), ClientIdleLifetime);

    public async Task<RegisteredClient?> FindClientAsync(string clientId, CancellationToken cancellationToken)
    {
        var json = await Database.StringGetSetExpiryAsync(OAuthRedisKeys.Client(clientId), ClientIdleLifetime);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, OAuthJson.Default.RegisteredClient);
    }

    public Task PutOnceAsync(OneUseKind kind, string id, string json, TimeSpan lifetime, CancellationToken cancellationToken) =>
        Database.StringSetAsync(OAuthRedisKeys.OneUse(kind, id), json, lifetime);

    public async Task<string?> PeekOnceAsync(OneUseKind kind, string id, CancellationToken cancellationToken)
    {
        var value = await Database.StringGetAsync(OAuthRedisKeys.OneUse(kind, id));
        return value.IsNull ? null : (string)value!;
    }

    public async Task<string?> TakeOnceAsync(OneUseKind kind, string id, CancellationToken cancellationToken)
    {
        var value = await Database.StringGetDeleteAsync(OAuthRedisKeys.OneUse(kind, id));
        return value.IsNull ? null : (string)value!;
    }

    public Task<bool> MarkCodeRedeemedAsync(string codeId, TimeSpan lifetime, CancellationToken cancellationToken) =>
        Database.StringSetAsync(OAuthRedisKeys.RedeemedCode(codeId), "1", lifetime, When.NotExists);

    public Task SaveConnectionAsync(ConnectionRecord connection, TimeSpan idle, CancellationToken cancellationToken) =>
        Database.ScriptEvaluateAsync(s_save, new
        {
            record = (RedisKey)OAuthRedisKeys.Connection(connection.OwnerKey, connection.ConnectionKey),
            index = (RedisKey)OAuthRedisKeys.OwnerConnections(connection.OwnerKey),
            member = connection.ConnectionKey,
            owner = connection.OwnerKey,
            clientId = connection.ClientId,
            clientName = connection.ClientName,
            created = connection.CreatedAt.ToUnixTimeMilliseconds(),
            last = connection.LastUsedAt.ToUnixTimeMilliseconds(),
            scopes = string.Join(' ', connection.Scopes),
            refresh = connection.RefreshId ?? string.Empty,
            ttl = (long)idle.TotalMilliseconds,
        });

    public async Task<ConnectionRecord?> FindConnectionAsync(string ownerKey, string connectionKey, CancellationToken cancellationToken)
    {
        var fields = await Database.HashGetAllAsync(OAuthRedisKeys.Connection(ownerKey, connectionKey));
        return Read(connectionKey, fields);
    }

    /// <summary>
    /// One <c>HGET</c> of the connection's last use answers a connection used within <see cref="TouchInterval"/> (a
    /// revoked or expired connection has no record, so none): most calls. Otherwise the touch script checks it and
    /// writes its last use and expiry.
    /// </summary>
    public async Task<bool> TouchConnectionAsync(string ownerKey, string connectionKey, DateTimeOffset now, TimeSpan idle, CancellationToken cancellationToken)
    {
        var record = OAuthRedisKeys.Connection(ownerKey, connectionKey);
        var touchedAfter = (now - TouchInterval).ToUnixTimeMilliseconds();
        if ((await Database.HashGetAsync(record, LastUsedField)).TryParse(out long lastUsed) && lastUsed > touchedAfter)
        {
            return true;
        }

        return (int)await Database.ScriptEvaluateAsync(s_touch, new
        {
            record = (RedisKey)record,
            index = (RedisKey)OAuthRedisKeys.OwnerConnections(ownerKey),
            now = now.ToUnixTimeMilliseconds(),
            touchedAfter,
            ttl = (long)idle.TotalMilliseconds,
        }) == 1;
    }

    public async Task<RefreshRotation> RotateRefreshAsync(string ownerKey, string connectionKey, string expected, string next, DateTimeOffset now, TimeSpan idle, CancellationToken cancellationToken) =>
        (int)await Database.ScriptEvaluateAsync(s_rotate, new
        {
            record = (RedisKey)OAuthRedisKeys.Connection(ownerKey, connectionKey),
            index = (RedisKey)OAuthRedisKeys.OwnerConnections(ownerKey),
            member = connectionKey,
            expected,
            next,
            now = now.ToUnixTimeMilliseconds(),
            ttl = (long)idle.TotalMilliseconds,
        }) switch
        {
            1 => RefreshRotation.Rotated,
            -1 => RefreshRotation.Reused,
            _ => RefreshRotation.Gone,
        };

    public async Task<IReadOnlyList<ConnectionRecord>> ListConnectionsAsync(string ownerKey, CancellationToken cancellationToken)
    {
        var index = OAuthRedisKeys.OwnerConnections(ownerKey);
        var members = await Database.SetMembersAsync(index);
        var connections = new List<ConnectionRecord>();
        foreach (var member in members)
        {
            var key = (string)member!;
            var record = Read(key, await Database.HashGetAllAsync(OAuthRedisKeys.Connection(ownerKey, key)));
            if (record is null)
            {
                await Database.SetRemoveAsync(index, member); // expired meanwhile
            }
            else
            {
                connections.Add(record);
            }
        }

        return [.. connections.OrderByDescending(c => c.CreatedAt)];
    }

    public async Task<bool> DeleteConnectionAsync(string ownerKey, string connectionKey, CancellationToken cancellationToken) =>
        (int)await Database.ScriptEvaluateAsync(s_delete, new
        {
            record = (RedisKey)OAuthRedisKeys.Connection(ownerKey, connectionKey),
            index = (RedisKey)OAuthRedisKeys.OwnerConnections(ownerKey),
            member = connectionKey,
        }) == 1;

    private static ConnectionRecord? Read(string connectionKey, HashEntry[] fields)
    {
        if (fields.Length == 0)
        {
            return null;
        }

        var map = fields.ToDictionary(f => (string)f.Name!, f => (string)f.Value!, StringComparer.Ordinal);
        return new ConnectionRecord
        {
            ConnectionKey = connectionKey,
            OwnerKey = map.GetValueOrDefault("owner", string.Empty),
            ClientId = map.GetValueOrDefault("client_id", string.Empty),
            ClientName = map.GetValueOrDefault("client_name", string.Empty),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(map.GetValueOrDefault("created", "0"), CultureInfo.InvariantCulture)),
            LastUsedAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(map.GetValueOrDefault(LastUsedField, "0"), CultureInfo.InvariantCulture)),
            Scopes = map.GetValueOrDefault("scopes", string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries),
            RefreshId = map.GetValueOrDefault("refresh") is { Length: > 0 } refresh ? refresh : null,
        };
    }
}
