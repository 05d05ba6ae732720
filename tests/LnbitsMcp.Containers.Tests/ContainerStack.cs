using System.Text.RegularExpressions;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Containers.Tests;

/// <summary>
/// The whole stack as containers on one podman network, the way a container platform runs it:
/// Redis (the locally made image), the LNbits sandbox, two servers and the edge, every one on a
/// read-only root filesystem. Only the edge is published, on 127.0.0.1 (HTTP 8080 and HTTPS 8443,
/// its self-signed certificate written to a tmpfs). The sandbox is test-only and has no image of its
/// own: its build output runs, mounted read-only, on the test base image.
/// </summary>
public sealed partial class ContainerStack(ServiceImages images) : IAsyncLifetime
{
    public const int ServerCount = 2;
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(2);
    private readonly string _prefix = $"lnbits-mcp-test-{Guid.NewGuid():N}"[..24];

    // The edge–server trust the AppHost wires as the parameter edge-secret.
    private readonly string _edgeSecret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    public ServiceImages Images => images;

    public string Network => _prefix;

    /// <summary>Container names by role: redis, lnbits, server0, server1, edge.</summary>
    public IReadOnlyDictionary<string, string> Containers { get; private set; } = new Dictionary<string, string>();

    public Uri EdgeHttp { get; private set; } = null!;

    public Uri EdgeHttps { get; private set; } = null!;

    /// <summary>The sandbox's demo wallets (alice 100 000 sat, bob 50 000 sat) from its start-up banner.</summary>
    public IReadOnlyDictionary<string, string> AdminKeys { get; private set; } = new Dictionary<string, string>();

    public TimeSpan StartDuration { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (images.Containers.SkipReason is not null)
        {
            return;
        }

        var started = DateTime.UtcNow;
        Containers = new[] { "redis", "lnbits", "edge" }.Concat(Enumerable.Range(0, ServerCount).Select(i => $"server{i}"))
            .ToDictionary(role => role, role => $"{_prefix}-{role}");
        await Podman.CheckedAsync("network", "create", "--label", "lnbits-mcp-test", Network);

        await RunAsync("redis", ["--tmpfs", "/data:rw,mode=1777"], images.Containers.RedisImage);
        await RunAsync("lnbits",
            ["--volume", $"{SandboxBuildOutput()}:/app:ro", "--workdir", "/app", "--user", "app", "--tls-verify=false"],
            images.Containers.BaseImage, "dotnet", "/app/LnbitsMcp.LnbitsSandbox.dll", "--urls", "http://0.0.0.0:8080");
        for (var i = 0; i < ServerCount; i++)
        {
            await RunAsync($"server{i}",
            [
                "--env", "ConnectionStrings__redis=redis:6379",
                "--env", "LNBITS_URL=http://lnbits:8080",
                // The sandbox is a private address inside the podman network.
                "--env", "Security__AllowPrivateNetworks=true",
                "--env", "Payments__Network=regtest",
                "--env", $"Server__ReplicaName=server{i}",
                "--env", "Http__AllowedHosts__0=*",
                "--env", "Http__AllowedOrigins__0=*",
                "--env", $"ForwardedHeaders__EdgeSecret={_edgeSecret}",
                "--env", $"{SleepingThreadPool.Variable}={SleepingThreadPool.Value}",
            ], images.Server);
        }

        string[] edgeSettings =
        [
            "--publish", "127.0.0.1::8080",
            "--publish", "127.0.0.1::8443",
            "--tmpfs", "/tmp:rw,mode=1777",
            "--env", "ASPNETCORE_HTTPS_PORTS=8443",
            "--env", "Tls__SelfSignedPath=/tmp/tls/edge-localhost.pfx",
            "--env", "ConnectionStrings__redis=redis:6379",
            "--env", $"ForwardedHeaders__EdgeSecret={_edgeSecret}",
            "--env", "ReverseProxy__Clusters__servers__HealthCheck__Active__Interval=00:00:02",
        ];
        await RunAsync("edge",
            [.. edgeSettings, .. Enumerable.Range(0, ServerCount).SelectMany(i => new[]
            {
                "--env", $"ReverseProxy__Clusters__servers__Destinations__server{i}__Address=http://server{i}:8080",
            })],
            images.Edge);

        AdminKeys = await ReadSandboxWalletsAsync();
        foreach (var server in Enumerable.Range(0, ServerCount).Select(i => Containers[$"server{i}"]))
        {
            await ContainerHttp.WaitForLogAsync(server, "Application started", s_startTimeout);
        }

        EdgeHttp = await Podman.PublishedUrlAsync(Containers["edge"], 8080);
        EdgeHttps = await Podman.PublishedUrlAsync(Containers["edge"], 8443, "https");
        using var http = new HttpClient { BaseAddress = EdgeHttp, Timeout = TimeSpan.FromSeconds(10) };
        await ContainerHttp.WaitForSuccessAsync(http, "/health", s_startTimeout, Containers["edge"]);
        StartDuration = DateTime.UtcNow - started;
        TestContext.Current.SendDiagnosticMessage($"Container stack started in {StartDuration.TotalSeconds:0} s");
    }

    public async ValueTask DisposeAsync()
    {
        await Podman.RemoveContainersAsync(Containers.Values);
        await Podman.RunAsync("network", "rm", "--force", Network);
    }

    /// <summary>An MCP client (Streamable HTTP, a protocol version with sessions) through the published edge.</summary>
    public async Task<McpClient> ConnectAsync()
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(EdgeHttp, "/mcp") });
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" }).WaitAsync(ToolCalls.Timeout);
    }

    private async Task RunAsync(string role, IEnumerable<string> options, string image, params string[] command) =>
        await Podman.CheckedAsync(
        [
            "run", "--detach", "--name", Containers[role], "--label", "lnbits-mcp-test",
            "--network", Network, "--network-alias", role,
            "--read-only", "--read-only-tmpfs=false",
            .. options, image, .. command,
        ]);

    private async Task<IReadOnlyDictionary<string, string>> ReadSandboxWalletsAsync()
    {
        var logs = await ContainerHttp.WaitForLogAsync(Containers["lnbits"], "Wallet bob", s_startTimeout);
        // The banner is written in one go; wait until bob's admin key line is there too.
        var deadline = DateTime.UtcNow + s_startTimeout;
        while (WalletLines().Matches(logs).Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            logs = await ContainerHttp.LogsAsync(Containers["lnbits"]);
        }

        return WalletLines().Matches(logs).ToDictionary(match => match.Groups["name"].Value, match => match.Groups["admin"].Value);
    }

    private static string SandboxBuildOutput()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var directory = Path.Combine(ServiceProcess.RepositoryRoot(), "tests", "LnbitsMcp.LnbitsSandbox", "bin", configuration, "net10.0");
        return File.Exists(Path.Combine(directory, "LnbitsMcp.LnbitsSandbox.dll"))
            ? directory
            : throw new FileNotFoundException($"the sandbox is not built in {directory}; build the solution first");
    }

    [GeneratedRegex(@"Wallet (?<name>\w+): \d+ sat\s+id\s+\w+\s+admin key\s+(?<admin>[0-9a-f]+)")]
    private static partial Regex WalletLines();
}
