using StackExchange.Redis;

namespace LnbitsMcp.Testing;

/// <summary>A Redis the tests started (<see cref="RedisServer"/>, one node; <see cref="RedisCluster"/>, a cluster).</summary>
public interface IRedisDeployment
{
    /// <summary>What the services get as <c>ConnectionStrings:redis</c>.</summary>
    string ConnectionString { get; }

    /// <summary>Every key and every value (strings, hashes, sets, sorted sets, lists) as text, from every master.</summary>
    Task<IReadOnlyList<string>> DumpAsync();
}

/// <summary>Reads every key and value of some servers (one node, or each master of a cluster).</summary>
public static class RedisDump
{
    public static async Task<IReadOnlyList<string>> ReadAsync(IConnectionMultiplexer connection, IEnumerable<IServer> servers)
    {
        var database = connection.GetDatabase();
        var dump = new List<string>();
        foreach (var server in servers)
        {
            foreach (var key in server.Keys(pattern: "*"))
            {
                dump.Add(key!);
                var type = await database.KeyTypeAsync(key);
                switch (type)
                {
                    case RedisType.String:
                        dump.Add((string?)await database.StringGetAsync(key) ?? string.Empty);
                        break;
                    case RedisType.Hash:
                        dump.AddRange((await database.HashGetAllAsync(key)).SelectMany(e => new[] { (string)e.Name!, (string?)e.Value ?? string.Empty }));
                        break;
                    case RedisType.Set:
                        dump.AddRange((await database.SetMembersAsync(key)).Select(v => (string)v!));
                        break;
                    case RedisType.SortedSet:
                        dump.AddRange((await database.SortedSetRangeByRankAsync(key)).Select(v => (string)v!));
                        break;
                    case RedisType.List:
                        dump.AddRange((await database.ListRangeAsync(key)).Select(v => (string)v!));
                        break;
                }
            }
        }

        return dump;
    }
}
