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

    /// <summary>
    /// Waits until every write Redis has answered is in its append-only file, so that a kill loses none of them.
    /// With <c>appendfsync everysec</c> Redis answers a write before writing it, and puts the writing off by up to
    /// 2 s while the disk is still busy with the last second's fsync: a kill in that window loses those writes.
    /// </summary>
    public async Task WaitUntilAppendOnlyFileHoldsEveryWriteAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var persistence = await RedisProcess.InfoAsync(Port, "persistence");
            if (persistence.GetValueOrDefault("aof_enabled") != "1")
            {
                throw new InvalidOperationException("This Redis keeps no append-only file: start it persistent.");
            }

            if (persistence.GetValueOrDefault("aof_buffer_length") == "0")
            {
                return;
            }

            if (clock.Elapsed > s_startTimeout)
            {
                throw new TimeoutException($"Redis still holds {persistence.GetValueOrDefault("aof_buffer_length")} bytes not written to its append-only file after {clock.Elapsed.TotalSeconds:0} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

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
