using StackExchange.Redis;

namespace LnbitsMcp.Testing;

/// <summary>A fresh <see cref="RedisServer"/> with one connection to it, stopped together.</summary>
public sealed class StartedRedisServer : IAsyncDisposable
{
    private StartedRedisServer(RedisServer server, ConnectionMultiplexer connection) => (Server, Connection) = (server, connection);

    public RedisServer Server { get; }

    public ConnectionMultiplexer Connection { get; }

    public static async Task<StartedRedisServer> StartAsync()
    {
        var server = await RedisServer.StartAsync();
        return new StartedRedisServer(server, await server.ConnectAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Server.DisposeAsync();
    }
}
