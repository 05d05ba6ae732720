using System.Diagnostics;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.Telemetry;

/// <summary>
/// Traces an operator can read (issue 19): request spans named by the MCP method and tool they carry,
/// no traces for health checks or background work, and only our faults shown as errors.
/// </summary>
public sealed class TraceReadabilityTests : IAsyncLifetime
{
    private TelemetryStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await TelemetryStack.StartAsync(new Dictionary<string, string?>
    {
        // Ten times the default rate, so a few seconds hold as many checks as a minute would.
        ["ReverseProxy:Clusters:servers:HealthCheck:Active:Interval"] = "00:00:00.500",
    });

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task ActiveHealthChecksLeaveNoSpans()
    {
        var healthBefore = _stack.ServerHealthRequests;
        var spansBefore = _stack.Capture.Spans().Count;

        await Task.Delay(TimeSpan.FromSeconds(6));

        Assert.True(_stack.ServerHealthRequests - healthBefore >= 6,
            $"the edge should have probed the server's /health repeatedly (saw {_stack.ServerHealthRequests - healthBefore})");
        var spans = _stack.OwnSpans(_stack.Capture.Spans().Skip(spansBefore));
        Assert.DoesNotContain(spans, s => s.Name.Contains("health", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(spans, s => s.Tag("url.full")?.Contains("/health", StringComparison.Ordinal) == true
            || s.Tag("url.path")?.Contains("/health", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(spans, s => s.Source.Contains("Redis", StringComparison.Ordinal) && s.ParentSpanId == default);
    }

    [Theory]
    [InlineData("2025-11-25")] // no Mcp-Method header: the edge reads the method from the body
    [InlineData(null)]         // the SDK's default revision sends Mcp-Method / Mcp-Name
    public async Task AToolCallThroughTheEdgeIsARootSpanNamedByMethodAndTool(string? protocolVersion)
    {
        await using var client = await _stack.ConnectThroughEdgeAsync(protocolVersion);
        var invoice = await _stack.Sandbox.ExternalInvoiceAsync(21);

        await client.CallOkAsync("decode_invoice", new { bolt11 = invoice.Bolt11 });

        var edgeSpan = await _stack.Capture.WaitForSpanAsync(s => IsRequestTo(s, _stack.EdgeUrl) && s.Name == "tools/call decode_invoice");
        Assert.Equal("tools/call", edgeSpan.Tag("mcp.method.name"));
        Assert.Equal("decode_invoice", edgeSpan.Tag("mcp.tool.name"));
        Assert.DoesNotContain(_stack.Capture.Spans(), s => s.SpanId == edgeSpan.ParentSpanId); // nothing of ours above it
        var serverSpan = await _stack.Capture.WaitForSpanAsync(s => IsRequestTo(s, _stack.Server.Url) && s.TraceId == edgeSpan.TraceId);
        Assert.Equal("tools/call decode_invoice", serverSpan.Name);
        Assert.Equal("decode_invoice", serverSpan.Tag("mcp.tool.name"));
    }

    [Fact]
    public async Task OtherMethodsNameTheirSpansToo()
    {
        await using var client = await _stack.ConnectThroughEdgeAsync("2025-11-25");
        await client.ListToolsAsync().AsTask().WaitAsync(ToolCalls.Timeout);

        await _stack.Capture.WaitForSpanAsync(s => IsRequestTo(s, _stack.EdgeUrl) && s.Name == "initialize" && s.Tag("mcp.method.name") == "initialize");
        await _stack.Capture.WaitForSpanAsync(s => IsRequestTo(s, _stack.EdgeUrl) && s.Name == "tools/list");
    }

    /// <summary>
    /// The edge reads a body for its method in the request pipe without consuming it. One that arrives in two pieces
    /// (the second after a pause) is waited for, names the span, and reaches the server whole.
    /// </summary>
    [Fact]
    public async Task ABodyArrivingInPiecesNamesTheSpanAndReachesTheServerWhole()
    {
        var before = _stack.Capture.Spans().Select(s => s.SpanId).ToHashSet();
        var body = """{"jsonrpc":"2.0","id":7,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"pieces","version":"1"}}}"""u8.ToArray();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_stack.EdgeUrl, "/mcp")) { Content = new ContentInTwoPieces(body, TimeSpan.FromMilliseconds(300)) };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(ToolCalls.Timeout);
        var answer = await ReadFirstEventAsync(response);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"id\":7", answer, StringComparison.Ordinal);
        Assert.Contains("\"protocolVersion\":\"2025-11-25\"", answer, StringComparison.Ordinal);
        var edgeSpan = await _stack.Capture.WaitForSpanAsync(s => !before.Contains(s.SpanId) && IsRequestTo(s, _stack.EdgeUrl) && s.Name == "initialize");
        Assert.Equal("initialize", edgeSpan.Tag("mcp.method.name"));
    }

    [Fact]
    public async Task ARefusedPaymentIsNotAnErrorSpan()
    {
        await using var client = await _stack.ConfiguredClientThroughEdgeAsync("refused", 1_000);
        var overTheLimit = await _stack.Sandbox.ExternalInvoiceAsync(150_000);

        await client.CallErrorAsync("pay_invoice", "limit_exceeded", new { bolt11 = overTheLimit.Bolt11 });

        var toolSpan = await _stack.Capture.WaitForSpanAsync(s => s.Source == "Experimental.ModelContextProtocol" && s.Kind == ActivityKind.Server
            && s.Name == "tools/call pay_invoice" && s.Tag("lnbits_mcp.error_code") == "limit_exceeded");
        Assert.NotEqual(ActivityStatusCode.Error, toolSpan.StatusCode);
        Assert.Null(toolSpan.Tag("error.type"));
    }

    /// <summary>The answer's JSON-RPC message: the data of the first SSE event that has some (the stream stays open).</summary>
    private static async Task<string> ReadFirstEventAsync(HttpResponseMessage response)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync().WaitAsync(ToolCalls.Timeout) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal) && line.Length > "data:".Length + 1)
            {
                return line;
            }
        }

        return string.Empty;
    }

    /// <summary>A JSON body of known length sent in two writes with a pause between them.</summary>
    private sealed class ContentInTwoPieces : HttpContent
    {
        private readonly byte[] _body;
        private readonly TimeSpan _pause;

        public ContentInTwoPieces(byte[] body, TimeSpan pause)
        {
            (_body, _pause) = (body, pause);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var half = _body.Length / 2;
            await stream.WriteAsync(_body.AsMemory(0, half));
            await stream.FlushAsync();
            await Task.Delay(_pause);
            await stream.WriteAsync(_body.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }

    internal static bool IsRequestTo(CapturedSpan span, Uri host) =>
        span.Source == "Microsoft.AspNetCore" && span.Tag("server.port") == host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
