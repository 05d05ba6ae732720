using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.Replicas;

/// <summary>
/// SSE event streams are kept in Redis (a node or a cluster): with <c>EventStreams:StoreAfter</c> = 0 (every
/// message to Redis at once) a stream answered by one instance is resumed with <c>Last-Event-ID</c> on another
/// (raw HTTP, so the test sees every event id).
/// </summary>
public abstract class ResumableStreamContract
{
    /// <summary>The setting (as an environment variable) of <see cref="RedisEventStreamStore.StoreAfter"/>.</summary>
    public const string StoreAfterKey = "EventStreams__StoreAfter";

    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    protected abstract ServiceProcess A { get; }

    protected abstract ServiceProcess B { get; }

    [Fact]
    public async Task AStreamAnsweredByOneInstanceIsReplayedByAnotherFromLastEventId()
    {
        var (sessionId, answer, before) = await CallAsync(A);
        var replayed = await ResumeAsync(B, sessionId, before.Id!);

        Assert.Contains("replica-a", replayed, StringComparison.Ordinal); // the answer instance A gave, served by B
        AssertReplayed(answer, replayed);
    }

    /// <summary>A <c>get_session_info</c> call on a new MCP session: its id, the answer event and the event before it.</summary>
    protected static async Task<(string SessionId, SseEvent Answer, SseEvent Before)> CallAsync(ServiceProcess server)
    {
        using var initialize = await PostAsync(server.Url, null, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""");
        var sessionId = initialize.Headers.GetValues("Mcp-Session-Id").Single();
        await initialize.Content.ReadAsStringAsync();
        using var initialized = await PostAsync(server.Url, sessionId, """{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        using var call = await PostAsync(server.Url, sessionId, """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_session_info","arguments":{}}}""");
        var events = ParseEvents(await call.Content.ReadAsStringAsync());
        var answer = events.Single(e => e.Data.Contains("\"id\":2", StringComparison.Ordinal));
        return (sessionId, answer, events.Last(e => e.Id is not null && e != answer));
    }

    /// <summary>Resumes a stream on <paramref name="server"/> from <paramref name="lastEventId"/>: what it replays up to the answer.</summary>
    protected static async Task<string> ResumeAsync(ServiceProcess server, string sessionId, string lastEventId)
    {
        using var resume = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url, "/mcp"));
        resume.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        resume.Headers.Add("Mcp-Session-Id", sessionId);
        resume.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        resume.Headers.Add("Last-Event-ID", lastEventId);
        using var replay = await s_http.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(replay.IsSuccessStatusCode, $"HTTP {(int)replay.StatusCode}");
        return await ReadUntilAsync(replay, "\"id\":2");
    }

    private static async Task<HttpResponseMessage> PostAsync(Uri server, string? sessionId, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/mcp")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (sessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", sessionId);
            request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        }

        var response = await s_http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private static async Task<string> ReadUntilAsync(HttpResponseMessage response, string marker)
    {
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);
        var seen = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!seen.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                break;
            }

            seen.AppendLine(line);
        }

        return seen.ToString();
    }

    /// <summary>
    /// The answer is among the replayed events, as the same JSON-RPC message (a replay writes the stored message
    /// again, so a string's escaping may differ: a date's <c>+</c> as <c>\u002B</c>).
    /// </summary>
    protected static void AssertReplayed(SseEvent answer, string replayed) =>
        Assert.Contains(ParseEvents(replayed), e => e.Data.Length > 0 && JsonNode.DeepEquals(JsonNode.Parse(e.Data), JsonNode.Parse(answer.Data)));

    private static List<SseEvent> ParseEvents(string text)
    {
        var events = new List<SseEvent>();
        foreach (var block in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? id = null;
            var data = new StringBuilder();
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("id:", StringComparison.Ordinal))
                {
                    id = line[3..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Append(line[5..].Trim());
                }
            }

            events.Add(new SseEvent(id, data.ToString()));
        }

        return events;
    }

    protected sealed record SseEvent(string? Id, string Data);
}

public sealed class ResumableStreamTests : ResumableStreamContract, IAsyncLifetime
{
    private RedisServer _redis = null!;
    private ServiceProcess _a = null!;
    private ServiceProcess _b = null!;
    private ServiceProcess _defaults = null!;

    protected override ServiceProcess A => _a;

    protected override ServiceProcess B => _b;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var everyMessageToRedis = new Dictionary<string, string?> { [StoreAfterKey] = "00:00:00" };
        var started = await Task.WhenAll(
            ServerReplicas.StartAsync("replica-a", _redis, everyMessageToRedis),
            ServerReplicas.StartAsync("replica-b", _redis, everyMessageToRedis),
            ServerReplicas.StartAsync("replica-defaults", _redis));
        (_a, _b, _defaults) = (started[0], started[1], started[2]);
    }

    /// <summary>
    /// With the default settings a quick answer stays in the answering instance's memory: it resumes it, Redis holds
    /// nothing of its stream. "Quick" is younger than <c>EventStreams:StoreAfter</c> (1 s) when answered; a call the
    /// client saw take longer (a cold server under load) may rightly have gone to Redis, so the test asks again on a
    /// new session, a few times, and checks the first call that was quick.
    /// </summary>
    [Fact]
    public async Task WithTheDefaultsAQuickAnswerIsResumedOnTheInstanceThatGaveIt()
    {
        var quick = RedisEventStreamStore.DefaultStoreAfter / 2;
        var timings = new List<TimeSpan>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var (sessionId, answer, before) = await CallAsync(_defaults);
            timings.Add(watch.Elapsed);
            if (watch.Elapsed >= quick)
            {
                continue;
            }

            var replayed = await ResumeAsync(_defaults, sessionId, before.Id!);

            AssertReplayed(answer, replayed);
            var streamKey = StreamKeyOf(sessionId, answer.Id!);
            Assert.DoesNotContain(await _redis.DumpAsync(), line => line.Contains(streamKey, StringComparison.Ordinal));
            return;
        }

        Assert.Fail($"no call answered within {quick.TotalMilliseconds} ms: {string.Join(", ", timings.Select(t => $"{t.TotalMilliseconds:F0} ms"))}");
    }

    /// <summary>
    /// The Redis key the store would keep the stream of <paramref name="eventId"/> under: an event id is
    /// <c>&lt;session token&gt;.&lt;stream id, base64url&gt;.&lt;start&gt;.&lt;sequence&gt;</c>.
    /// </summary>
    private static string StreamKeyOf(string sessionId, string eventId)
    {
        var parts = eventId.Split('.');
        Assert.Equal(4, parts.Length);
        var streamId = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
        return RedisEventStreamStore.Key(sessionId, streamId, long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _defaults.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
