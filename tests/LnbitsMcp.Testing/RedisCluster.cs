using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace LnbitsMcp.Testing;

/// <summary>
/// A real Redis Cluster of Debian <c>redis-server</c> processes on loopback (3 masters + 3 replicas by
/// default), created with <c>redis-cli --cluster create</c>. Node ports are below 20000 so that each
/// cluster bus port (port + 10000) stays below the ephemeral range. Start one per test class.
/// </summary>
public sealed class RedisCluster : IRedisDeployment, IAsyncDisposable
{
    public const int NodeTimeoutMs = 2000;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("redis-cluster-test-").FullName;
    private readonly List<Node> _nodes = [];

    private RedisCluster()
    {
    }

    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>Every node, as a client of the cluster is configured (StackExchange.Redis discovers the rest).</summary>
    public string ConnectionString =>
        string.Join(',', _nodes.Select(n => $"127.0.0.1:{n.Port.ToString(CultureInfo.InvariantCulture)}")) + ",abortConnect=false";

    public static async Task<RedisCluster> StartAsync(int masters = 3, int replicasPerMaster = 1)
    {
        var cluster = new RedisCluster();
        try
        {
            await cluster.CreateAsync(masters * (1 + replicasPerMaster), replicasPerMaster);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<ConnectionMultiplexer> ConnectAsync() =>
        await ConnectionMultiplexer.ConnectAsync(ConnectionString).WaitAsync(s_timeout);

    /// <summary>The live master that serves the slot of <paramref name="key"/>, as the nodes see it now.</summary>
    public async Task<Node> MasterOfAsync(string key)
    {
        var slot = ClusterSlot(key);
        foreach (var line in await ClusterNodesAsync())
        {
            if (line.Flags.Contains("master", StringComparison.Ordinal) && !line.Flags.Contains("fail", StringComparison.Ordinal) && line.Slots.Any(range => slot >= range.From && slot <= range.To))
            {
                return _nodes.Single(n => n.Port == line.Port);
            }
        }

        throw new InvalidOperationException($"no live master serves slot {slot}");
    }

    /// <summary>The replicas of a master, as the nodes see it now.</summary>
    public async Task<IReadOnlyList<Node>> ReplicasOfAsync(Node master)
    {
        var lines = await ClusterNodesAsync();
        var id = lines.Single(l => l.Port == master.Port).Id;
        return [.. lines.Where(l => l.MasterId == id).Select(l => _nodes.Single(n => n.Port == l.Port))];
    }

    /// <summary>The live masters, as the nodes see it now.</summary>
    public async Task<IReadOnlyList<Node>> MastersAsync() =>
        [.. (await ClusterNodesAsync())
            .Where(l => l.Flags.Contains("master", StringComparison.Ordinal) && !l.Flags.Contains("fail", StringComparison.Ordinal))
            .Select(l => _nodes.Single(n => n.Port == l.Port))
            .Where(n => n.IsRunning)];

    /// <summary>
    /// Moves one hash slot to another master as <c>redis-cli --cluster reshard</c> does: the slot is marked
    /// migrating/importing, its keys are moved, then (after <paramref name="whileMigrating"/>, when a
    /// client asking the old master for a moved key is answered <c>ASK</c>) every master is told the
    /// new owner (clients are answered <c>MOVED</c>).
    /// </summary>
    public async Task MoveSlotAsync(int slot, Node target, Func<Task>? whileMigrating = null)
    {
        var lines = await ClusterNodesAsync();
        var source = _nodes.Single(n => n.Port == lines.Single(l => l.Flags.Contains("master", StringComparison.Ordinal) && l.Slots.Any(r => slot >= r.From && slot <= r.To)).Port);
        var (sourceId, targetId) = (lines.Single(l => l.Port == source.Port).Id, lines.Single(l => l.Port == target.Port).Id);
        var slotText = slot.ToString(CultureInfo.InvariantCulture);
        await RedisProcess.CliAsync(target.Port, "cluster", "setslot", slotText, "importing", sourceId);
        await RedisProcess.CliAsync(source.Port, "cluster", "setslot", slotText, "migrating", targetId);
        var keys = (await RedisProcess.CliAsync(source.Port, "cluster", "getkeysinslot", slotText, "1000"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (keys.Length > 0)
        {
            await RedisProcess.CliAsync(source.Port, ["migrate", "127.0.0.1", target.Port.ToString(CultureInfo.InvariantCulture), "", "0", "5000", "keys", .. keys]);
        }

        if (whileMigrating is not null)
        {
            await whileMigrating();
        }

        foreach (var master in await MastersAsync())
        {
            await RedisProcess.CliAsync(master.Port, "cluster", "setslot", slotText, "node", targetId);
        }
    }

    /// <summary>Kills a node at once (SIGKILL), as a crash would.</summary>
    public static async Task KillAsync(Node node) => await node.StopAsync();

    /// <summary>Starts a killed node again; it rejoins the cluster from its nodes.conf (a failed-over master as a replica).</summary>
    public static Task RestartAsync(Node node) => node.StartAsync();

    /// <summary>
    /// Waits until every live node reports <c>cluster_state:ok</c>, every slot has a live master and
    /// every live replica is in sync with its master.
    /// </summary>
    public async Task WaitUntilHealthyAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? s_timeout);
        string problem = "not checked";
        while (DateTime.UtcNow < deadline)
        {
            problem = await FindProblemAsync();
            if (problem.Length == 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the cluster did not become healthy: {problem}");
    }

    /// <summary>Waits until a live node says the cluster is down (a slot without a master).</summary>
    public async Task WaitUntilDownAsync()
    {
        var deadline = DateTime.UtcNow + s_timeout;
        while (DateTime.UtcNow < deadline)
        {
            var live = _nodes.First(n => n.IsRunning);
            if ((await RedisProcess.CliAsync(live.Port, "cluster", "info")).Contains("cluster_state:fail", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the cluster did not notice the missing slots");
    }

    /// <summary>Deletes every key on every live master (between tests of one class).</summary>
    public async Task FlushAsync()
    {
        foreach (var line in (await ClusterNodesAsync()).Where(l => l.Flags.Contains("master", StringComparison.Ordinal) && !l.Flags.Contains("fail", StringComparison.Ordinal)))
        {
            await RedisProcess.CliAsync(line.Port, "flushall");
        }
    }

    /// <summary>Every key on every live master.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync()
    {
        await using var connection = await ConnectAsync();
        return [.. connection.GetServers().Where(server => server.IsConnected && !server.IsReplica).SelectMany(server => server.Keys(pattern: "*")).Select(key => (string)key!)];
    }

    public async Task<IReadOnlyList<string>> DumpAsync()
    {
        await using var connection = await ConnectAsync();
        return await RedisDump.ReadAsync(connection, connection.GetServers().Where(server => server.IsConnected && !server.IsReplica));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.StopAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task CreateAsync(int count, int replicasPerMaster)
    {
        foreach (var port in FreeClusterPorts(count))
        {
            var node = new Node(port, Path.Combine(_directory, port.ToString(CultureInfo.InvariantCulture)));
            _nodes.Add(node);
        }

        await Task.WhenAll(_nodes.Select(n => n.StartAsync()));
        var arguments = new List<string> { "--cluster", "create" };
        arguments.AddRange(_nodes.Select(n => $"127.0.0.1:{n.Port.ToString(CultureInfo.InvariantCulture)}"));
        arguments.AddRange(["--cluster-replicas", replicasPerMaster.ToString(CultureInfo.InvariantCulture), "--cluster-yes"]);
        var (exitCode, output) = await RedisProcess.RunCliAsync(arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli --cluster create failed ({exitCode}):\n{output}");
        }

        await WaitUntilHealthyAsync();
    }

    private async Task<string> FindProblemAsync()
    {
        var lines = await ClusterNodesAsync();
        var covered = new bool[16384];
        foreach (var line in lines.Where(l => l.Flags.Contains("master", StringComparison.Ordinal) && !l.Flags.Contains("fail", StringComparison.Ordinal)))
        {
            foreach (var (from, to) in line.Slots)
            {
                for (var slot = from; slot <= to; slot++)
                {
                    covered[slot] = _nodes.Single(n => n.Port == line.Port).IsRunning;
                }
            }
        }

        if (Array.IndexOf(covered, false) is var uncovered and >= 0)
        {
            return $"slot {uncovered} has no live master";
        }

        foreach (var node in _nodes.Where(n => n.IsRunning))
        {
            var info = await RedisProcess.CliAsync(node.Port, "cluster", "info");
            if (!info.Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                return $"node {node.Port} reports {info.Split('\n').FirstOrDefault()?.Trim()}";
            }

            var replication = await RedisProcess.CliAsync(node.Port, "info", "replication");
            if (replication.Contains("role:slave", StringComparison.Ordinal) && !replication.Contains("master_link_status:up", StringComparison.Ordinal))
            {
                return $"replica {node.Port} is not in sync";
            }
        }

        return string.Empty;
    }

    private async Task<IReadOnlyList<NodeLine>> ClusterNodesAsync()
    {
        foreach (var node in _nodes.Where(n => n.IsRunning))
        {
            string text;
            try
            {
                text = await RedisProcess.CliAsync(node.Port, "cluster", "nodes");
            }
            catch (InvalidOperationException)
            {
                continue;
            }

            return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(NodeLine.Parse)];
        }

        throw new InvalidOperationException("no node of the cluster answers");
    }

    /// <summary>Ports P in 10000–19999 with P and P + 10000 (its cluster bus port) free on loopback now.</summary>
    private static IReadOnlyList<int> FreeClusterPorts(int count)
    {
        var ports = new List<int>();
        while (ports.Count < count)
        {
            var port = Random.Shared.Next(10000, 20000);
            if (!ports.Contains(port) && IsFree(port) && IsFree(port + 10000))
            {
                ports.Add(port);
            }
        }

        return ports;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>CRC16 (XMODEM) of the key's hash tag modulo 16384, as Redis Cluster places keys.</summary>
    public static int ClusterSlot(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open >= 0)
        {
            var close = key.IndexOf('}', open + 1);
            if (close > open + 1)
            {
                key = key[(open + 1)..close];
            }
        }

        ushort crc = 0;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(key))
        {
            crc ^= (ushort)(b << 8);
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
        }

        return crc % 16384;
    }

    /// <summary>One <c>redis-server --cluster-enabled yes</c> process with its own directory (nodes.conf).</summary>
    public sealed class Node(int port, string directory)
    {
        private Process? _process;

        public int Port { get; } = port;

        public bool IsRunning => _process is { HasExited: false };

        public string EndPoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

        internal async Task StartAsync() => _process = await RedisProcess.StartAsync(Port, directory,
        [
            "--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(directory, "nodes.conf"),
            "--cluster-node-timeout", NodeTimeoutMs.ToString(CultureInfo.InvariantCulture),
            "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--enable-debug-command", "local",
        ]);

        internal async Task StopAsync()
        {
            await RedisProcess.KillAsync(_process);
            _process = null;
        }
    }

    private sealed record NodeLine(string Id, int Port, string Flags, string? MasterId, IReadOnlyList<(int From, int To)> Slots)
    {
        // <id> <ip:port@cport> <flags> <master> <ping-sent> <pong-recv> <config-epoch> <link-state> <slot> <slot> ...
        public static NodeLine Parse(string line)
        {
            var parts = line.Split(' ');
            var address = parts[1];
            var port = int.Parse(address[(address.LastIndexOf(':') + 1)..address.IndexOf('@', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            var slots = new List<(int, int)>();
            foreach (var part in parts.Skip(8).Where(p => !p.StartsWith('[')))
            {
                var dash = part.IndexOf('-', StringComparison.Ordinal);
                slots.Add(dash < 0
                    ? (int.Parse(part, CultureInfo.InvariantCulture), int.Parse(part, CultureInfo.InvariantCulture))
                    : (int.Parse(part[..dash], CultureInfo.InvariantCulture), int.Parse(part[(dash + 1)..], CultureInfo.InvariantCulture)));
            }

            return new NodeLine(parts[0], port, parts[2], parts[3] == "-" ? null : parts[3], slots);
        }
    }
}
