using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Edge.Tests;

/// <summary>
/// Real processes as the AppHost runs them: N server instances and the edge in front, one Redis (a
/// node it starts, or a given one such as a cluster), the LNbits sandbox; the edge serves HTTP and
/// HTTPS with a test certificate.
/// </summary>
public sealed class EdgeStack : IAsyncDisposable
{
    private readonly List<ServiceProcess> _servers = [];
    private readonly Dictionary<string, string?> _edgeSettings;
    private readonly bool _ownsRedis;
    private readonly Dictionary<ServiceProcess, Uri> _http2Urls = [];

    private EdgeStack(IRedisDeployment redis, bool ownsRedis, Sandbox sandbox, string certificatePath, X509Certificate2 certificate, Dictionary<string, string?> edgeSettings)
    {
        Redis = redis;
        _ownsRedis = ownsRedis;
        Sandbox = sandbox;
        CertificatePath = certificatePath;
        Certificate = certificate;
        _edgeSettings = edgeSettings;
    }

    /// <summary>The secret the edge and the servers share, as the AppHost wires it (ForwardedHeaders:EdgeSecret).</summary>
    public string EdgeSecret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    public IRedisDeployment Redis { get; }
    public Sandbox Sandbox { get; }
    public string CertificatePath { get; }
    public X509Certificate2 Certificate { get; }
    public ServiceProcess Edge { get; private set; } = null!;

    public IReadOnlyList<ServiceProcess> Servers => _servers;
    public Uri HttpUrl => Edge.Url;
    public Uri HttpsUrl => Edge.Urls.First(u => u.Scheme == Uri.UriSchemeHttps);

    /// <summary>The edge reaches the servers over HTTP/2 on their HTTP/2-only ports (<c>Server:EdgeHttp2Port</c>), as the AppHost runs them.</summary>
    public bool Http2ToServers { get; private init; }

    /// <param name="redis">The Redis to use (the caller disposes it); null: a fresh redis-server of the stack's own.</param>
    /// <param name="http2ToServers">See <see cref="Http2ToServers"/>; false: HTTP/1.1 to their only address.</param>
    public static async Task<EdgeStack> StartAsync(int servers = 3, IDictionary<string, string?>? edgeSettings = null, IRedisDeployment? redis = null, IDictionary<string, string?>? serverSettings = null, bool http2ToServers = false)
    {
        var ownsRedis = redis is null;
        redis ??= await RedisServer.StartAsync();
        var sandbox = await Sandbox.StartAsync();
        var (path, certificate) = CreateTestCertificate();
        var stack = new EdgeStack(redis, ownsRedis, sandbox, path, certificate, new Dictionary<string, string?>(edgeSettings ?? new Dictionary<string, string?>())) { Http2ToServers = http2ToServers };
        var started = await Task.WhenAll(Enumerable.Range(0, servers).Select(i => stack.StartServerAsync($"server{i}", serverSettings)));
        stack._servers.AddRange(started);
        await stack.StartEdgeAsync();
        return stack;
    }

    /// <summary>Starts the edge process on free ports, or restarts it on the ports it had.</summary>
    public async Task StartEdgeAsync()
    {
        var urls = Edge is null ? "http://127.0.0.1:0;https://127.0.0.1:0" : $"{HttpUrl};{HttpsUrl}";
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = urls,
            ["ConnectionStrings__redis"] = Redis.ConnectionString,
            ["Tls__CertificatePath"] = CertificatePath,
            ["ReverseProxy__Clusters__servers__HealthCheck__Active__Interval"] = "00:00:02",
            ["ForwardedHeaders__EdgeSecret"] = EdgeSecret,
        };
        for (var i = 0; i < _servers.Count; i++)
        {
            environment[$"ReverseProxy__Clusters__servers__Destinations__server{i}__Address"] = (Http2ToServers ? _http2Urls[_servers[i]] : _servers[i].Url).AbsoluteUri;
        }

        if (Http2ToServers)
        {
            environment["ReverseProxy__Clusters__servers__HttpRequest__Version"] = "2";
            environment["ReverseProxy__Clusters__servers__HttpRequest__VersionPolicy"] = "RequestVersionExact";
        }

        foreach (var (key, value) in _edgeSettings)
        {
            environment[key] = value;
        }

        Edge = await ServiceProcess.StartAsync("LnbitsMcp.Edge", [], environment);
    }

    /// <param name="http">An HttpClient of the caller's (e.g. one bound to another loopback source address).</param>
    public async Task<McpClient> ConnectAsync(HttpTransportMode mode = HttpTransportMode.StreamableHttp, HttpClient? http = null)
    {
        var options = new HttpClientTransportOptions
        {
            Endpoint = new Uri(HttpUrl, mode == HttpTransportMode.Sse ? "/sse" : "/mcp"),
            TransportMode = mode,
        };
        var transport = http is null ? new HttpClientTransport(options) : new HttpClientTransport(options, http);
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" }).WaitAsync(ToolCalls.Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (Edge is not null)
        {
            await Edge.DisposeAsync();
        }

        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        await Sandbox.DisposeAsync();
        if (_ownsRedis && Redis is IAsyncDisposable redis)
        {
            await redis.DisposeAsync();
        }

        File.Delete(CertificatePath);
    }

    private async Task<ServiceProcess> StartServerAsync(string name, IDictionary<string, string?>? settings)
    {
        var http2Port = Http2ToServers ? ServiceProcess.FreePort() : 0;
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__redis"] = Redis.ConnectionString,
            ["Server__ReplicaName"] = name,
            ["Security__AllowPrivateNetworks"] = "true",
            ["Payments__Network"] = "regtest",
            ["Http__AllowedHosts__0"] = "*",
            ["Http__AllowedOrigins__0"] = "*",
            ["ForwardedHeaders__EdgeSecret"] = EdgeSecret,
        };
        if (Http2ToServers)
        {
            environment["Server__EdgeHttp2Port"] = http2Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var server = await ServiceProcess.StartAsync("LnbitsMcp.Server", ["--host", "127.0.0.1", "--port", "0"], environment);
        if (Http2ToServers)
        {
            lock (_http2Urls)
            {
                _http2Urls[server] = new Uri($"http://127.0.0.1:{http2Port}/");
            }
        }

        return server;
    }

    private static (string Path, X509Certificate2 Certificate) CreateTestCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=edge-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"edge-test-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, created.Export(X509ContentType.Pkcs12));
        return (path, X509CertificateLoader.LoadCertificate(created.Export(X509ContentType.Cert)));
    }
}
