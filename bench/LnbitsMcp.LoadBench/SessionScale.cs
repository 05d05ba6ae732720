using System.Globalization;
using ModelContextProtocol.Client;
using StackExchange.Redis;

namespace LnbitsMcp.LoadBench;

/// <summary>What the session-scale phase measured.</summary>
public sealed record SessionScaleResult(IReadOnlyList<(int Sessions, long UsedMemoryDelta, long KeysDelta)> Memory, List<Sample> Samples);

/// <summary>
/// Redis memory per idle session and the call cost with many live sessions, on a Redis and a server of
/// their own (so the main rounds' stream events do not blur the memory deltas): the call cost with 10 live
/// sessions; INFO memory before and after creating sessions (create_session, as session-less clients do);
/// the call cost again with the largest count alive. The bare SDK runs in the same rounds as the yardstick.
/// </summary>
public static class SessionScale
{
    public static async Task<SessionScaleResult> RunAsync(BenchStack stack, LoadRounds rounds, BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var (redisProcess, redisConnection) = await stack.Services.StartRedisAsync("redis-sessions");
        stack.Track(redisProcess);
        var (server, serverUrl) = await stack.Services.StartServerAsync("server-sessions", redisConnection, stack.SandboxUrl);
        stack.Track(server);
        var endpoint = new Uri(serverUrl, "/mcp");
        var session = await stack.OpenConfiguredSessionAsync(endpoint);
        var processes = new[] { server, redisProcess, stack.Processes.Single(p => p.Name == "sandbox") };
        LoadTarget[] targets =
        [
            stack.Reference,
            new("scale-decode", "server + Redis: decode_invoice", endpoint, LoadTarget.ToolCall("decode_invoice", $$"""{"bolt11":"{{stack.Bolt11}}"}"""), session, processes, "sdk", ExpectedText: "payment_hash"),
            new("scale-balance", "server + Redis: get_wallet_balance", endpoint, LoadTarget.ToolCall("get_wallet_balance", "{}"), session, processes, "sdk", ExpectedText: "balance_msat"),
        ];

        // Session-less clients (the C# SDK's default protocol revision) create sessions with create_session,
        // each from one of many client addresses (as the edge forwards them), a few dozen sessions per address.
        var creator = stack.Keep(await McpSetup.ConnectAsync(endpoint, protocolVersion: null,
            new HttpClient(new ForwardedClientAddresses(stack.Services.EdgeSecret, ClientAddresses)) { Timeout = TimeSpan.FromSeconds(60) }));
        await CreateSessionsAsync(creator, 9, cancellationToken); // + the MCP connection's own: 10 live
        log.WriteLine("sessions: 10 live");
        await rounds.WarmUpAsync(targets.Skip(1), options.Warmup, cancellationToken);
        var samples = await rounds.RunAsync("10 live", targets, [16], options.Rounds, options.Duration, (_, _) => true, cancellationToken);

        using var redis = await ConnectionMultiplexer.ConnectAsync(redisConnection + ",allowAdmin=true");
        var (memory0, keys0) = await MemoryAsync(redis);
        var memory = new List<(int, long, long)>();
        var created = 0;
        foreach (var count in options.SessionCounts.Order())
        {
            await CreateSessionsAsync(creator, count - created, cancellationToken);
            created = count;
            var (used, keys) = await MemoryAsync(redis);
            memory.Add((count, used - memory0, keys - keys0));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sessions: {count} created, used_memory +{used - memory0} B ({(used - memory0) / (double)count:F0} B/session), keys +{keys - keys0}"));
        }

        if (created > 0)
        {
            samples.AddRange(await rounds.RunAsync($"{created} live", targets, [16], options.Rounds, options.Duration, (_, _) => true, cancellationToken));
        }

        return new SessionScaleResult(memory, samples);
    }

    /// <summary>How many client addresses the created sessions come from.</summary>
    private const int ClientAddresses = 4096;

    private static async Task CreateSessionsAsync(McpClient client, int count, CancellationToken cancellationToken)
    {
        var next = 0;
        var workers = Enumerable.Range(0, 32).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var text = await McpSetup.ToolTextAsync(client, "create_session");
                if (!text.Contains("session_id", StringComparison.Ordinal))
                {
                    throw new BenchException("create_session answered without a session_id: " + text);
                }
            }
        });
        await Task.WhenAll(workers);
    }

    private static async Task<(long UsedMemory, long Keys)> MemoryAsync(ConnectionMultiplexer redis)
    {
        var server = redis.GetServers()[0];
        var info = await server.InfoAsync("memory");
        var used = long.Parse(info.SelectMany(g => g).First(p => p.Key == "used_memory").Value, CultureInfo.InvariantCulture);
        return (used, await server.DatabaseSizeAsync());
    }
}

/// <summary>Sends each request as the edge would forward it from the next of many client addresses (X-Forwarded-For with the edge secret).</summary>
internal sealed class ForwardedClientAddresses(string edgeSecret, int addresses) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _next;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var n = (uint)Interlocked.Increment(ref _next) % (uint)addresses;
        request.Headers.Add("X-LnbitsMcp-Edge-Secret", edgeSecret);
        request.Headers.Add("X-Forwarded-For", $"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}");
        return base.SendAsync(request, cancellationToken);
    }
}
