using StackExchange.Redis;

namespace LnbitsMcp.Testing;

/// <summary>
/// How several server instances reach one Redis the tests started (a node or a cluster): the first instance's
/// connection, and one more for each other instance a test asks for; closed together.
/// </summary>
public sealed class RedisInstanceConnections : IAsyncDisposable
{
    private readonly Func<Task<ConnectionMultiplexer>> _connect;
    private readonly List<ConnectionMultiplexer> _others = [];

    private RedisInstanceConnections(Func<Task<ConnectionMultiplexer>> connect, ConnectionMultiplexer first) => (_connect, First) = (connect, first);

    /// <summary>The first instance's connection.</summary>
    public ConnectionMultiplexer First { get; }

    public static async Task<RedisInstanceConnections> OpenAsync(Func<Task<ConnectionMultiplexer>> connect) => new(connect, await connect());

    /// <summary>A connection of its own for another instance.</summary>
    public async Task<ConnectionMultiplexer> AnotherAsync()
    {
        var connection = await _connect();
        lock (_others)
        {
            _others.Add(connection);
        }

        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _others)
        {
            await connection.DisposeAsync();
        }

        await First.DisposeAsync();
    }
}
