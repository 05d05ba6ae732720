using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace LnbitsMcp.Testing;

/// <summary>A real Debian <c>redis-server</c> on a free loopback port, started and stopped by the test.</summary>
public sealed class RedisServer : IRedisDeployment, IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(20);
    private readonly string _directory = Directory.CreateTempSubdirectory("redis-test-").FullName;
    private Process? _process;

    private readonly bool _persistent;

    private RedisServer(int port, bool persistent)
    {
        Port = port;
        _persistent = persistent;
    }

    public int Port { get; private set; }

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false";

    /// <param name="persistent">Keep data on disk (append-only file, fsync every second, as the AppHost runs it) so that a restart keeps it.</param>
    public static async Task<RedisServer> StartAsync(bool persistent = false)
    {
        var server = new RedisServer(FreePort(), persistent);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await server.StartProcessAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // The free port was taken by someone else before redis-server bound it: pick another.
                server.Port = FreePort();
            }
        }
    }

    /// <summary>Stops the server (its data survives only when it was started persistent).</summary>
    public async Task StopAsync()
    {
        await RedisProcess.KillAsync(_process);
        _process = null;
    }

    public Task RestartAsync() => StartProcessAsync();

    public async Task<ConnectionMultiplexer> ConnectAsync() =>
        await ConnectionMultiplexer.ConnectAsync(ConnectionString).WaitAsync(s_startTimeout);

    public async Task<IReadOnlyList<string>> DumpAsync()
    {
        await using var connection = await ConnectAsync();
        return await RedisDump.ReadAsync(connection, [connection.GetServer($"127.0.0.1:{Port}")]);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartProcessAsync() =>
        _process = await RedisProcess.StartAsync(Port, _directory, ["--save", "", "--appendonly", _persistent ? "yes" : "no", "--appendfsync", "everysec"]);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
