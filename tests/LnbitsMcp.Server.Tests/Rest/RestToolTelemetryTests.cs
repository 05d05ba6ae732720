using System.Diagnostics;
using LnbitsMcp.Server.Tests.Telemetry;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.Rest;

/// <summary>
/// A REST call is traced and scrubbed like a <c>tools/call</c> (CONTRACT §6): one trace from the edge through the
/// server's request and the SDK's tool span, named by the tool, tagged with the session hint; no key, session id
/// or preimage it carried reaches any span, metric or log (server logs at Trace).
/// </summary>
public sealed class RestToolTelemetryTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = RestToolCalls.Timeout };
    private TelemetryStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await TelemetryStack.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task ARestCallThroughTheEdgeIsOneTraceNamedByItsToolAndTaggedWithTheSessionHint()
    {
        var wallet = await _stack.Sandbox.CreateWalletAsync("traced-rest", 1_000);
        var sessionId = (await _http.CallToolAsync(_stack.EdgeUrl, "create_session")).Ok().GetProperty("session_id").GetString()!;
        (await _http.CallToolAsync(_stack.EdgeUrl, "configure_lnbits", new { session_id = sessionId, lnbits_url = _stack.Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey })).Ok();

        var info = (await _http.CallToolAsync(_stack.EdgeUrl, "get_wallet_details", new { session_id = sessionId })).Ok();

        var edgeSpan = await _stack.Capture.WaitForSpanAsync(s => TraceReadabilityTests.IsRequestTo(s, _stack.EdgeUrl) && s.Name == "tools/call get_wallet_details");
        var serverSpan = await _stack.Capture.WaitForSpanAsync(s => TraceReadabilityTests.IsRequestTo(s, _stack.Server.Url) && s.TraceId == edgeSpan.TraceId);
        var toolSpan = await _stack.Capture.WaitForSpanAsync(s => s.Source == "Experimental.ModelContextProtocol" && s.Kind == ActivityKind.Server && s.TraceId == edgeSpan.TraceId);
        var lnbitsSpan = await _stack.Capture.WaitForSpanAsync(s => s.Kind == ActivityKind.Client && s.TraceId == edgeSpan.TraceId && s.Tag("server.port") == _stack.Sandbox.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("traced-rest", info.GetProperty("name").GetString());
        Assert.Equal("get_wallet_details", edgeSpan.Tag("mcp.tool.name"));
        Assert.DoesNotContain(_stack.Capture.Spans(), s => s.SpanId == edgeSpan.ParentSpanId);
        Assert.Equal("tools/call get_wallet_details", serverSpan.Name);
        Assert.Equal("tools/call get_wallet_details", toolSpan.Name);
        var hint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sessionId)))[..16];
        Assert.Equal(hint, toolSpan.Tag("lnbits_mcp.session"));
        Assert.Equal(hint, lnbitsSpan.Tag("lnbits_mcp.session"));
    }

    [Fact]
    public async Task NoKeySessionIdOrPreimageOfARestCallReachesAnySignal()
    {
        var wallet = await _stack.Sandbox.CreateWalletAsync("scrubbed-rest", 10_000);
        var headerWallet = await _stack.Sandbox.CreateWalletAsync("scrubbed-rest-headers", 10_000);
        var secrets = new List<string> { wallet.AdminKey, wallet.InvoiceKey, headerWallet.AdminKey };
        var sessionId = (await _http.CallToolAsync(_stack.EdgeUrl, "create_session")).Ok().GetProperty("session_id").GetString()!;
        secrets.Add(sessionId);

        await _http.CallToolAsync(_stack.EdgeUrl, "configure_lnbits", new { session_id = sessionId, lnbits_url = _stack.Sandbox.Url.AbsoluteUri, api_key = "0000" + wallet.AdminKey[4..] });
        (await _http.CallToolAsync(_stack.EdgeUrl, "configure_lnbits", new { session_id = sessionId, lnbits_url = _stack.Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey })).Ok();
        var paid = (await _http.CallToolAsync(_stack.EdgeUrl, "pay_invoice", new { session_id = sessionId, bolt11 = (await _stack.Sandbox.ExternalInvoiceAsync(7)).Bolt11 })).Ok();
        secrets.Add(paid.GetProperty("preimage").GetString()!);
        var headers = RestToolCalls.LnbitsHeaders(_stack.Sandbox.Url, headerWallet.AdminKey);
        var headerPaid = (await _http.CallToolAsync(_stack.EdgeUrl, "pay_invoice", new { bolt11 = (await _stack.Sandbox.ExternalInvoiceAsync(8)).Bolt11 }, headers)).Ok();
        secrets.Add(headerPaid.GetProperty("preimage").GetString()!);
        await _http.CallToolAsync(_stack.EdgeUrl, "get_wallet_balance", new { session_id = sessionId + "x" });

        await Task.Delay(TimeSpan.FromSeconds(3)); // Redis spans are made every second (RedisTracing); metrics every 0.5 s
        var everything = _stack.Capture.AllText();

        Assert.Contains("tools/call pay_invoice", everything, StringComparison.Ordinal); // the capture works
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }
}
