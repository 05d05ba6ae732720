using ModelContextProtocol.Client;

namespace LnbitsMcp.LoadBench;

/// <summary>
/// Everything the load runs against, started once: redis-server, the LNbits sandbox, two servers and the
/// edge; the references (bare SDK stateful; YARP, and a second edge, in front of a bare SDK stateless); one MCP
/// session per target, opened by the C# SDK client and kept open while the load runs.
/// </summary>
public sealed class BenchStack : IAsyncDisposable
{
    private readonly List<ChildProcess> _processes = [];
    private readonly List<McpClient> _clients = [];

    private BenchStack(Services services) => Services = services;

    public Services Services { get; }

    public IReadOnlyList<ChildProcess> Processes => _processes;

    public IReadOnlyList<LoadTarget> Targets { get; private set; } = [];

    /// <summary>The targets of these names (all when none are named); an unknown name is an error.</summary>
    public IReadOnlyList<LoadTarget> Select(IReadOnlyList<string> names)
    {
        if (names.FirstOrDefault(name => Targets.All(target => target.Name != name)) is { } unknown)
        {
            throw new BenchException($"no target is named '{unknown}'; the targets: {string.Join(", ", Targets.Select(target => target.Name))}");
        }

        return names.Count == 0 ? Targets : [.. Targets.Where(target => names.Contains(target.Name))];
    }

    public LoadTarget Reference { get; private set; } = null!;

    public Uri SandboxUrl { get; private set; } = null!;

    public string AdminKey { get; private set; } = string.Empty;

    public string Bolt11 { get; private set; } = string.Empty;

    /// <param name="compareCheckout">Another checkout whose server is started too, as target <c>server-decode-b</c>.</param>
    public static async Task<BenchStack> StartAsync(Services services, string? compareCheckout = null)
    {
        var stack = new BenchStack(services);
        try
        {
            await stack.StartProcessesAsync(compareCheckout);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    public ChildProcess Track(ChildProcess process)
    {
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    public McpClient Keep(McpClient client)
    {
        _clients.Add(client);
        return client;
    }

    /// <summary>Kills every process at once (exit and signal handlers).</summary>
    public void KillAll()
    {
        lock (_processes)
        {
            foreach (var process in _processes)
            {
                process.KillNow();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            try
            {
                await client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception error) when (error is TimeoutException or HttpRequestException or OperationCanceledException)
            {
                // the server is going away anyway
            }
        }

        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }
    }

    private async Task StartProcessesAsync(string? compareCheckout)
    {
        var (redis, redisConnection) = await Services.StartRedisAsync("redis");
        Track(redis);
        var (sandbox, sandboxUrl) = await Services.StartSandboxAsync();
        Track(sandbox);
        SandboxUrl = sandboxUrl;
        var servers = await Task.WhenAll(Services.StartServerAsync("server0", redisConnection, sandboxUrl), Services.StartServerAsync("server1", redisConnection, sandboxUrl));
        foreach (var (process, _) in servers)
        {
            Track(process);
        }

        var (edge, edgeUrl) = await Services.StartEdgeAsync(redisConnection, [.. servers.Select(s => s.Url)]);
        Track(edge);

        (AdminKey, Bolt11) = await McpSetup.PrepareSandboxAsync(sandboxUrl);
        var server0 = servers[0];
        string decodeResult;
        await using (var probe = await McpSetup.ConnectAsync(new Uri(server0.Url, "/mcp")))
        {
            decodeResult = await McpSetup.SaveToolResultAsync(probe, "decode_invoice", new() { ["bolt11"] = Bolt11 },
                Path.Combine(Services.WorkDirectory, "decode_invoice-result.json"));
        }

        var (sdk, sdkUrl) = await Services.StartReferenceServerAsync("sdk-stateful", stateless: false, decodeResult);
        Track(sdk);
        var (sdkStateless, sdkStatelessUrl) = await Services.StartReferenceServerAsync("sdk-stateless", stateless: true, decodeResult);
        Track(sdkStateless);
        var (yarp, yarpUrl) = await Services.StartReferenceProxyAsync("yarp", sdkStatelessUrl);
        Track(yarp);
        var (edgeSdk, edgeSdkUrl) = await Services.StartEdgeAsync(redisConnection, [sdkStatelessUrl], "edge-sdk");
        Track(edgeSdk);

        // A target costs the processes its requests reach: loaded directly, the one server (the second, idle meanwhile,
        // is not counted: ≈ 1 µs per request of timers and probes); through the edge, both.
        List<ChildProcess> oneServer = [server0.Process, redis, sandbox];
        List<ChildProcess> bothServers = [server0.Process, servers[1].Process, redis, sandbox];
        var direct = await OpenConfiguredSessionAsync(new Uri(server0.Url, "/mcp"));
        var throughEdge = await OpenConfiguredSessionAsync(new Uri(edgeUrl, "/mcp"));
        var sdkClient = Keep(await McpSetup.ConnectAsync(new Uri(sdkUrl, "/mcp")));
        var accessToken = await McpSetup.ConnectOAuthAsync(server0.Url, sandboxUrl, AdminKey);
        var oauthClient = Keep(await McpSetup.ConnectAsync(new Uri(server0.Url, "/mcp"), http: McpSetup.WithBearer(accessToken)));

        var echo = LoadTarget.ToolCall("echo", """{"message":"hello"}""");
        var decode = LoadTarget.ToolCall("decode_invoice", $$"""{"bolt11":"{{Bolt11}}"}""");
        var balance = LoadTarget.ToolCall("get_wallet_balance", "{}");
        Reference = new LoadTarget("sdk", "bare SDK, stateful: echo", new Uri(sdkUrl, "/mcp"), echo, sdkClient.SessionId, [sdk], ExpectedText: "hello");
        var yarpReference = new LoadTarget("yarp", "YARP → bare SDK, stateless: echo", new Uri(yarpUrl, "/mcp"), echo, null, [yarp, sdkStateless], ExpectedText: "hello");
        // Each of ours beside the reference a goal or a column compares it with (server-decode between the canned SDK and the
        // echo SDK, YARP between the edge's two tools): a round runs them back to back (LoadRounds.Order).
        Targets =
        [
            new LoadTarget("server-balance", "server + Redis: get_wallet_balance", new Uri(server0.Url, "/mcp"), balance, direct, oneServer, "sdk", ExpectedText: "balance_msat"),
            new LoadTarget("sdk-decode", "bare SDK, stateful: decode_invoice's result, canned", new Uri(sdkUrl, "/mcp"), decode, sdkClient.SessionId, [sdk], ExpectedText: "payment_hash"),
            new LoadTarget("server-decode", "server + Redis: decode_invoice", new Uri(server0.Url, "/mcp"), decode, direct, oneServer, "sdk", ExpectedText: "payment_hash"),
            Reference,
            new LoadTarget("server-oauth-decode", "server + Redis: decode_invoice, OAuth connection (bearer token)", new Uri(server0.Url, "/mcp"), decode, oauthClient.SessionId, oneServer, "sdk",
                Credential: ("Authorization", "Bearer " + accessToken), ExpectedText: "payment_hash"),
            new LoadTarget("yarp-decode", "YARP → bare SDK, stateless: decode_invoice's result, canned", new Uri(yarpUrl, "/mcp"), decode, null, [yarp, sdkStateless], ExpectedText: "payment_hash"),
            new LoadTarget("edge-decode", "edge → 2 servers + Redis: decode_invoice", new Uri(edgeUrl, "/mcp"), decode, throughEdge, [edge, .. bothServers], "yarp", ExpectedText: "payment_hash"),
            yarpReference,
            new LoadTarget("edge-balance", "edge → 2 servers + Redis: get_wallet_balance", new Uri(edgeUrl, "/mcp"), balance, throughEdge, [edge, .. bothServers], "yarp", ExpectedText: "balance_msat"),
            new LoadTarget("sandbox", "LNbits sandbox alone: GET /api/v1/wallet", new Uri(sandboxUrl, "/api/v1/wallet"), null, null, [sandbox], Credential: ("X-Api-Key", AdminKey), ExpectedText: "balance"),
            new LoadTarget("edge-echo", "edge → bare SDK, stateless: echo", new Uri(edgeSdkUrl, "/mcp"), echo, null, [edgeSdk, sdkStateless], "yarp", ExpectedText: "hello"),
        ];
        if (compareCheckout is not null)
        {
            var (other, otherUrl) = await Services.StartServerAsync("server-b", redisConnection, sandboxUrl, compareCheckout);
            Track(other);
            var session = await OpenConfiguredSessionAsync(new Uri(otherUrl, "/mcp"));
            // Right after this checkout's server-decode, so that the two builds run back to back in every round.
            var after = Targets.Select(target => target.Name).ToList().IndexOf(BuildComparison.OwnTarget) + 1;
            Targets = [.. Targets.Take(after), new LoadTarget(BuildComparison.OtherTarget, $"server + Redis: decode_invoice, built from {compareCheckout}", new Uri(otherUrl, "/mcp"), decode, session,
                [other, redis, sandbox], "sdk", ExpectedText: "payment_hash"), .. Targets.Skip(after)];
        }
    }

    /// <summary>A stateful MCP session (initialize) whose bound session has the sandbox wallet configured.</summary>
    public async Task<string> OpenConfiguredSessionAsync(Uri endpoint)
    {
        var client = Keep(await McpSetup.ConnectAsync(endpoint));
        await McpSetup.ToolTextAsync(client, "configure_lnbits", new() { ["lnbits_url"] = SandboxUrl.AbsoluteUri, ["api_key"] = AdminKey });
        return client.SessionId ?? throw new BenchException($"{endpoint} gave no Mcp-Session-Id");
    }
}
