using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace LnbitsMcp.LoadBench;

/// <summary>Starts the benchmark's processes from the Release build, every one on 127.0.0.1 and a free port.</summary>
public sealed class Services(string repositoryRoot, string workDirectory)
{
    /// <summary>The secret the edge and the servers share (as the AppHost wires it).</summary>
    public string EdgeSecret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    /// <summary>redis-server as the AppHost runs it: append-only file, fsync every second.</summary>
    public async Task<(ChildProcess Process, string ConnectionString)> StartRedisAsync(string name)
    {
        var port = FreePort();
        var directory = Directory.CreateDirectory(Path.Combine(workDirectory, name)).FullName;
        var redis = ChildProcess.Start(name, "redis-server",
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "everysec", "--dir", directory],
            new Dictionary<string, string>(), workDirectory);
        var connectionString = $"127.0.0.1:{port}";
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var connection = await ConnectionMultiplexer.ConnectAsync(connectionString + ",connectTimeout=1000");
                await connection.GetDatabase().PingAsync();
                return (redis, connectionString);
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !redis.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public Task<(ChildProcess Process, Uri Url)> StartSandboxAsync() =>
        StartDotnetAsync("sandbox", Path.Combine("tests", "LnbitsMcp.LnbitsSandbox"), "LnbitsMcp.LnbitsSandbox", ["--urls", "http://127.0.0.1:0"], []);

    /// <summary>
    /// A server instance as the AppHost runs it behind the edge (its production logging and telemetry, its HTTP/2-only
    /// port for the edge), built from this checkout or from <paramref name="checkout"/>.
    /// </summary>
    public async Task<(ChildProcess Process, Uri Url)> StartServerAsync(string name, string redis, Uri lnbits, string? checkout = null)
    {
        var http2Port = FreePort();
        var started = await StartDotnetAsync(name, "LnbitsMcp.Server", "LnbitsMcp.Server", ["--host", "127.0.0.1", "--port", "0"], new Dictionary<string, string>
        {
            ["Server__EdgeHttp2Port"] = http2Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ConnectionStrings__redis"] = redis,
            ["Server__ReplicaName"] = name,
            ["LNBITS_URL"] = lnbits.AbsoluteUri,
            ["Security__AllowPrivateNetworks"] = "true",
            ["Payments__Network"] = "regtest",
            ["Http__AllowedHosts__0"] = "*",
            ["Http__AllowedOrigins__0"] = "*",
            ["ForwardedHeaders__EdgeSecret"] = EdgeSecret,
        }, checkout);
        _edgeHttp2Urls[started.Url] = new Uri($"http://127.0.0.1:{http2Port}/");
        return started;
    }

    /// <summary>Each server's HTTP/2-only address (<c>Server:EdgeHttp2Port</c>), by its HTTP/1.1 one.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Uri, Uri> _edgeHttp2Urls = new();

    /// <summary>The edge in front of the servers. Its rate limits are lifted: they exist to refuse exactly this kind of load.</summary>
    public Task<(ChildProcess Process, Uri Url)> StartEdgeAsync(string redis, IReadOnlyList<Uri> servers, string name = "edge")
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ConnectionStrings__redis"] = redis,
            ["ForwardedHeaders__EdgeSecret"] = EdgeSecret,
        };
        foreach (var bucket in new[] { "Session", "ClientAddress", "NewSession" })
        {
            environment[$"RateLimiting__{bucket}__TokenLimit"] = "100000000";
            environment[$"RateLimiting__{bucket}__TokensPerPeriod"] = "100000000";
        }

        // To our servers as the AppHost runs them: HTTP/2 with prior knowledge on their HTTP/2-only ports; to the bare
        // SDK (edge-echo) over HTTP/1.1, as YARP reaches it.
        var http2 = servers.All(_edgeHttp2Urls.ContainsKey);
        for (var i = 0; i < servers.Count; i++)
        {
            environment[$"ReverseProxy__Clusters__servers__Destinations__server{i}__Address"] = (http2 ? _edgeHttp2Urls[servers[i]] : servers[i]).AbsoluteUri;
        }

        if (http2)
        {
            environment["ReverseProxy__Clusters__servers__HttpRequest__Version"] = "2";
            environment["ReverseProxy__Clusters__servers__HttpRequest__VersionPolicy"] = "RequestVersionExact";
        }

        return StartDotnetAsync(name, "LnbitsMcp.Edge", "LnbitsMcp.Edge", [], environment);
    }

    /// <summary>The bare SDK with its echo tool and, from <paramref name="cannedDecodeResult"/>, a <c>decode_invoice</c> that answers with that result.</summary>
    public Task<(ChildProcess Process, Uri Url)> StartReferenceServerAsync(string name, bool stateless, string cannedDecodeResult) =>
        StartDotnetAsync(name, Path.Combine("bench", "LnbitsMcp.Bench.ReferenceServer"), "LnbitsMcp.Bench.ReferenceServer",
            [.. stateless ? ["--stateless"] : Array.Empty<string>(), "--canned", "decode_invoice=" + cannedDecodeResult, "--urls", "http://127.0.0.1:0"], []);

    /// <summary>Where this run keeps its files (logs, the canned result).</summary>
    public string WorkDirectory => workDirectory;

    public Task<(ChildProcess Process, Uri Url)> StartReferenceProxyAsync(string name, Uri destination) =>
        StartDotnetAsync(name, Path.Combine("bench", "LnbitsMcp.Bench.ReferenceProxy"), "LnbitsMcp.Bench.ReferenceProxy",
            ["--urls", "http://127.0.0.1:0", "--destination", destination.AbsoluteUri], []);

    private async Task<(ChildProcess Process, Uri Url)> StartDotnetAsync(string name, string projectDirectory, string assembly, string[] arguments, Dictionary<string, string> settings, string? checkout = null)
    {
        var output = Path.Combine(checkout ?? repositoryRoot, projectDirectory, "bin", "Release", "net10.0");
        var dll = Path.Combine(output, assembly + ".dll");
        if (!File.Exists(dll))
        {
            throw new BenchException($"{dll} is missing: build Release first (bench/load.sh does).");
        }

        var environment = new Dictionary<string, string>(settings)
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        var process = ChildProcess.Start(name, "dotnet", [dll, .. arguments], environment, workDirectory, output);
        var url = await process.Listening.WaitAsync(TimeSpan.FromSeconds(90));
        return (process, url);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
