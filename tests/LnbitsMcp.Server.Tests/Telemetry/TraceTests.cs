using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.Telemetry;

/// <summary>One trace per tool call across edge → server → LNbits HTTP → Redis, tagged by session (CONTRACT §6).</summary>
public sealed class TraceTests : IAsyncLifetime
{
    private TelemetryStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await TelemetryStack.StartAsync();

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task AToolCallThroughTheEdgeIsOneTraceTaggedWithTheSessionHint()
    {
        await using var client = await _stack.ConfiguredClientThroughEdgeAsync("traced", 321);
        var hint = (await client.CallOkAsync("get_session_info")).GetProperty("session_hint").GetString();

        await Task.Delay(TimeSpan.FromSeconds(1.2)); // past the second in which a read-only call may use the instance's copy of its session
        await client.CallOkAsync("get_wallet_balance");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        CapturedSpan? toolSpan = null;
        IReadOnlyList<CapturedSpan> trace = [];
        while (DateTime.UtcNow < deadline)
        {
            var spans = _stack.Capture.Spans();
            toolSpan = ToolSpans(spans, "get_wallet_balance").LastOrDefault();
            trace = toolSpan is null ? [] : [.. spans.Where(s => s.TraceId == toolSpan.TraceId)];
            if (trace.Any(IsRedis) && trace.Any(IsLnbitsCall) && trace.Any(s => IsServerRequest(s, _stack.EdgeUrl)))
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.NotNull(toolSpan);
        Assert.Equal(hint, toolSpan.Tag("lnbits_mcp.session"));
        Assert.Equal("get_wallet_balance", toolSpan.Tag("mcp.tool.name"));
        Assert.Contains(trace, s => IsServerRequest(s, _stack.EdgeUrl));           // the edge's request span
        Assert.Contains(trace, s => IsServerRequest(s, _stack.Server.Url));        // the server's request span
        var lnbits = Assert.Single(trace, IsLnbitsCall);                           // LNbits HTTP
        Assert.Equal(hint, lnbits.Tag("lnbits_mcp.session"));
        Assert.Equal("get_wallet_balance", lnbits.Tag("mcp.tool.name"));
        var underTool = Descendants(trace, toolSpan).ToList();                     // every span of the tool call itself
        Assert.Contains(underTool, IsRedis);                                       // Redis (the session lookup)
        Assert.All(underTool, span => Assert.Equal("get_wallet_balance", span.Tag("mcp.tool.name")));
        Assert.All(underTool.Where(s => !IsRedis(s)), span => Assert.Equal(hint, span.Tag("lnbits_mcp.session")));
        Assert.Contains(_stack.Capture.Spans(), s => IsServerRequest(s, _stack.EdgeUrl) && s.Tag("lnbits_mcp.session") is { Length: 16 });
    }

    [Fact]
    public async Task RedisSpansOfAToolCallReachTheExporterWithinSecondsOfTheCall()
    {
        // Redis spans are made when the instrumentation drains its profiling sessions: every second here. Aspire's own
        // client drained every 10 s, which three calls 1.5 s apart, each given 3 s, cannot all meet.
        await using var client = await _stack.ConfiguredClientThroughEdgeAsync("prompt", 10);
        for (var call = 0; call < 3; call++)
        {
            var before = ToolSpans(_stack.Capture.Spans(), "get_session_info").Select(s => s.SpanId).ToHashSet();
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // past the second in which a read-only call may use the instance's copy of its session
            await client.CallOkAsync("get_session_info");

            var deadline = DateTime.UtcNow.AddSeconds(3);
            var redisSeen = false;
            while (!redisSeen && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
                var spans = _stack.Capture.Spans();
                redisSeen = ToolSpans(spans, "get_session_info").Where(s => !before.Contains(s.SpanId))
                    .Any(tool => Descendants([.. spans.Where(s => s.TraceId == tool.TraceId)], tool).Any(IsRedis));
            }

            Assert.True(redisSeen, $"call {call + 1}: no Redis span of its session lookup within 3 s");
        }
    }

    /// <summary>
    /// The SDK's server spans of <paramref name="tool"/> among <paramref name="spans"/> (one snapshot of the capture), in
    /// traces that came through this stack's edge (other test classes run servers in this process too).
    /// </summary>
    private List<CapturedSpan> ToolSpans(IReadOnlyList<CapturedSpan> spans, string tool)
    {
        var ourTraces = spans.Where(s => IsServerRequest(s, _stack.EdgeUrl)).Select(s => s.TraceId).ToHashSet();
        return [.. spans.Where(s => s.Source == "Experimental.ModelContextProtocol" && s.Kind == System.Diagnostics.ActivityKind.Server
            && s.Name.Contains(tool, StringComparison.Ordinal) && ourTraces.Contains(s.TraceId))];
    }

    [Fact]
    public async Task ALogLineOfAToolCallCarriesTheToolNameAndSessionHintInItsScope()
    {
        await using var client = await _stack.ConfiguredClientThroughEdgeAsync("scoped", 10);
        var hint = (await client.CallOkAsync("get_session_info")).GetProperty("session_hint").GetString();

        await client.CallErrorAsync("decode_invoice", "invalid_invoice", new { bolt11 = "lnbc1notaninvoice" }); // the filter logs the error code inside the call's scope

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string? line = null;
        while (line is null && DateTime.UtcNow < deadline)
        {
            line = _stack.Capture.Logs().FirstOrDefault(l => l.Contains($"Tool decode_invoice answered invalid_invoice (session {hint})", StringComparison.Ordinal));
            await Task.Delay(200);
        }

        Assert.NotNull(line);
        Assert.Contains(" scope mcp.tool.name=decode_invoice", line, StringComparison.Ordinal);
        Assert.Contains($" scope lnbits_mcp.session={hint}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolCallsPaymentsAndSessionsAreMetrics()
    {
        await using var client = await _stack.ConfiguredClientThroughEdgeAsync("metered", 1_000);
        await client.CallErrorAsync("get_payments", "invalid_argument", new { limit = 0 });
        await client.CallOkAsync("pay_invoice", new { bolt11 = (await _stack.Sandbox.ExternalInvoiceAsync(3)).Bolt11 });

        // The exporter runs every 500 ms; on a loaded machine this call's points may take a few of its periods to show.
        List<OpenTelemetry.Metrics.MetricSnapshot> metrics = [];
        string[] Tags(string name) => [.. metrics.Where(m => m.Name == name).SelectMany(m => m.MetricPoints)
            .SelectMany(p => { var list = new List<string>(); foreach (var tag in p.Tags) { list.Add($"{tag.Key}={tag.Value}"); } return list; })];
        bool Exported() =>
            Tags("lnbits_mcp.tool.calls").Contains("outcome=invalid_argument") && Tags("lnbits_mcp.payments").Contains("outcome=success")
            && new[] { "lnbits_mcp.tool.duration", "lnbits_mcp.payments.sats", "lnbits_mcp.sessions.active", "lnbits_mcp.edge.session_routes" }.All(name => metrics.Any(m => m.Name == name));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(500);
            lock (_stack.Capture.Metrics)
            {
                metrics = [.. _stack.Capture.Metrics];
            }
        }
        while (!Exported() && DateTime.UtcNow < deadline);

        Assert.Contains("outcome=invalid_argument", Tags("lnbits_mcp.tool.calls"));
        Assert.Contains("mcp.tool.name=configure_lnbits", Tags("lnbits_mcp.tool.calls"));
        Assert.Contains("outcome=success", Tags("lnbits_mcp.payments"));
        Assert.Contains(metrics, m => m.Name == "lnbits_mcp.tool.duration");
        Assert.Contains(metrics, m => m.Name == "lnbits_mcp.payments.sats");
        Assert.Contains(metrics, m => m.Name == "lnbits_mcp.sessions.active");
        Assert.Contains(metrics, m => m.Name == "lnbits_mcp.edge.session_routes");
    }

    private static IEnumerable<CapturedSpan> Descendants(IReadOnlyList<CapturedSpan> trace, CapturedSpan root)
    {
        foreach (var child in trace.Where(s => s.ParentSpanId == root.SpanId))
        {
            yield return child;
            foreach (var grandchild in Descendants(trace, child))
            {
                yield return grandchild;
            }
        }
    }

    private static bool IsServerRequest(CapturedSpan span, Uri host) =>
        span.Source == "Microsoft.AspNetCore" && span.Tag("server.port") == host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private bool IsLnbitsCall(CapturedSpan span) =>
        span.Source == "System.Net.Http" && span.Tag("server.port") == _stack.Sandbox.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)
        && span.Tag("url.full")?.Contains("/api/v1/wallet", StringComparison.Ordinal) == true;

    private static bool IsRedis(CapturedSpan span) => span.Source.Contains("Redis", StringComparison.Ordinal);
}
