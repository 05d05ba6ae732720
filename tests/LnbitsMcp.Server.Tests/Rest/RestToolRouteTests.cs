using System.Net;
using System.Text;
using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Rest;

/// <summary>The seed's REST debug route (CONTRACT §10) against the sandbox: the seed's curl line, sessions, refusals.</summary>
public sealed class RestToolRouteTests : SandboxServerTests
{
    private readonly HttpClient _http = new() { Timeout = RestToolCalls.Timeout };

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:MaxPaymentSats"] = "20000",
        ["Payments:ConfirmAboveSats"] = "5000",
        ["Payments:PendingPollTime"] = "00:00:03",
    };

    public override async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task TheSeedsCurlLineWithLnbitsHeadersTestsThatWallet()
    {
        var wallet = await Sandbox.CreateWalletAsync("curl-wallet", 1_000);

        var curl = await ExternalCommand.RunAsync("curl",
        [
            "-sS", "-X", "POST", new Uri(Server.Url, "/tools/test_lnbits_configuration").AbsoluteUri,
            "-H", "Content-Type: application/json",
            "-H", $"X-LNbits-Url: {Sandbox.Url.AbsoluteUri}",
            "-H", $"X-LNbits-Api-Key: {wallet.AdminKey}",
            "-d", """{"name": "test_lnbits_configuration", "arguments": {}}""",
            "-w", "\n%{http_code} %{content_type}",
        ], RestToolCalls.Timeout);

        var lines = curl.EnsureSuccess().Output.TrimEnd().Split('\n');
        var body = JsonDocument.Parse(string.Join('\n', lines[..^1])).RootElement;
        Assert.Equal("200 application/json; charset=utf-8", lines[^1]);
        Assert.False(body.GetProperty("isError").GetBoolean());
        Assert.True(body.GetProperty("structuredContent").GetProperty("ok").GetBoolean());
        Assert.Equal("curl-wallet", body.GetProperty("structuredContent").GetProperty("wallet_name").GetString());
        Assert.Equal("admin", body.GetProperty("structuredContent").GetProperty("key_type").GetString());
        Assert.Contains("curl-wallet", body.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASessionFromCreateSessionIsUsedByItsSessionIdAcrossCallsAndPays()
    {
        var payer = await Sandbox.CreateWalletAsync("rest-payer", 10_000);
        var invoice = await Sandbox.ExternalInvoiceAsync(1_000);

        var created = (await _http.CallToolAsync(Server.Url, "create_session")).Ok();
        var sessionId = created.GetProperty("session_id").GetString()!;
        var configured = (await _http.CallToolAsync(Server.Url, "configure_lnbits", new { session_id = sessionId, lnbits_url = Sandbox.Url.AbsoluteUri, api_key = payer.AdminKey })).Ok();
        var paid = (await _http.CallToolAsync(Server.Url, "pay_invoice", new { session_id = sessionId, bolt11 = invoice.Bolt11 })).Ok();
        var balance = (await _http.CallToolAsync(Server.Url, "get_wallet_balance", new { session_id = sessionId })).Ok();
        var info = (await _http.CallToolAsync(Server.Url, "get_session_info", new { session_id = sessionId })).Ok();

        Assert.Equal("rest-payer", configured.GetProperty("wallet_name").GetString());
        Assert.Equal("success", paid.GetProperty("status").GetString());
        Assert.InRange(balance.GetProperty("balance_sat").GetInt64(), 8_990, 9_000);
        Assert.True(info.GetProperty("is_configured").GetBoolean());
        Assert.False(info.GetProperty("bound_to_transport").GetBoolean());
        await using var mcp = await Server.ConnectAsync(protocolVersion: null);
        Assert.Equal(info.GetProperty("session_hint").GetString(), (await mcp.CallOkAsync("get_session_info", new { session_id = sessionId })).GetProperty("session_hint").GetString());
    }

    [Fact]
    public async Task AnMcpSessionIdHeaderGivesARestCallNoTransportSession()
    {
        var wallet = await Sandbox.CreateWalletAsync("transport-wallet", 2_000);
        await using var client = await Server.ConnectAsync();
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });

        var answer = await _http.CallToolAsync(Server.Url, "get_wallet_balance", headers: new Dictionary<string, string> { ["Mcp-Session-Id"] = client.SessionId! });

        answer.Error("no_session");
        Assert.False(answer.Headers.Contains("Mcp-Session-Id"));
        Assert.Equal(2_000, (await client.CallOkAsync("get_wallet_balance")).GetProperty("balance_sat").GetInt64());
    }

    /// <summary>
    /// Every error code of CONTRACT §5 a REST caller can meet, each compared with the same call through
    /// <c>tools/call</c> (a session-less MCP client with the same headers): same code, same error fields.
    /// </summary>
    [Fact]
    public async Task EveryErrorCodeAnswersThroughTheRouteAsThroughToolsCall()
    {
        var payer = await Sandbox.CreateWalletAsync("codes-payer", 100_000);
        var poor = await Sandbox.CreateWalletAsync("codes-poor", 5);
        var payee = await Sandbox.CreateWalletAsync("codes-payee");
        var expiring = await Sandbox.ExternalInvoiceAsync(10, expirySeconds: 1);
        var expiringSince = System.Diagnostics.Stopwatch.StartNew();
        var payerHeaders = RestToolCalls.LnbitsHeaders(Sandbox.Url, payer.AdminKey);
        var clients = new Dictionary<string, McpClient>();
        var covered = new List<string>();

        async Task ExpectSameAsync(string code, string tool, object arguments, Dictionary<string, string>? headers = null)
        {
            var key = headers is null ? string.Empty : string.Join('|', headers.Values);
            if (!clients.TryGetValue(key, out var client))
            {
                clients[key] = client = await Server.ConnectAsync(protocolVersion: null, headers: headers);
            }

            var rest = (await _http.CallToolAsync(Server.Url, tool, arguments, headers)).Error(code);
            var mcp = await client.CallErrorAsync(tool, code, arguments);
            Assert.Equal(Names(mcp), Names(rest));
            covered.Add(code);
        }

        try
        {
            var fresh = (await _http.CallToolAsync(Server.Url, "create_session")).Ok().GetProperty("session_id").GetString()!;
            var readOnly = (await _http.CallToolAsync(Server.Url, "create_session")).Ok().GetProperty("session_id").GetString()!;
            (await _http.CallToolAsync(Server.Url, "configure_lnbits", new { session_id = readOnly, lnbits_url = Sandbox.Url.AbsoluteUri, api_key = payer.InvoiceKey })).Ok();
            var paidOnce = await Sandbox.ExternalInvoiceAsync(1_000);
            (await _http.CallToolAsync(Server.Url, "pay_invoice", new { bolt11 = paidOnce.Bolt11 }, payerHeaders)).Ok();

            await ExpectSameAsync("invalid_argument", "decode_invoice", new { bolt11 = 5 });
            await ExpectSameAsync("no_session", "get_wallet_balance", new { });
            await ExpectSameAsync("session_not_found", "get_wallet_balance", new { session_id = new string('A', 43) });
            await ExpectSameAsync("not_configured", "get_wallet_balance", new { session_id = fresh });
            await ExpectSameAsync("invalid_invoice", "pay_invoice", new { bolt11 = "lnbcrt1notaninvoice" }, payerHeaders);
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, 2.5 - expiringSince.Elapsed.TotalSeconds))); // BOLT11 times are whole seconds
            await ExpectSameAsync("invoice_expired", "pay_invoice", new { bolt11 = expiring.Bolt11 }, payerHeaders);
            await ExpectSameAsync("amountless_invoice", "pay_invoice", new { bolt11 = (await Sandbox.ExternalInvoiceAsync(null)).Bolt11 }, payerHeaders);
            await ExpectSameAsync("limit_exceeded", "pay_invoice", new { bolt11 = (await Sandbox.ExternalInvoiceAsync(20_001)).Bolt11 }, payerHeaders);
            await ExpectSameAsync("insufficient_balance", "pay_invoice", new { bolt11 = (await Sandbox.ExternalInvoiceAsync(100)).Bolt11 }, RestToolCalls.LnbitsHeaders(Sandbox.Url, poor.AdminKey));
            await ExpectSameAsync("already_paid", "pay_invoice", new { bolt11 = paidOnce.Bolt11 }, payerHeaders);
            await ExpectSameAsync("lnbits_unauthorized", "get_wallet_balance", new { }, RestToolCalls.LnbitsHeaders(Sandbox.Url, "0123456789abcdef0123456789abcdef"));
            await ExpectSameAsync("lnbits_forbidden", "pay_invoice", new { bolt11 = (await Sandbox.ExternalInvoiceAsync(10)).Bolt11 }, RestToolCalls.LnbitsHeaders(Sandbox.Url, payer.InvoiceKey));
            await ExpectSameAsync("lnbits_unreachable", "get_wallet_balance", new { }, RestToolCalls.LnbitsHeaders(new Uri("http://127.0.0.1:9/"), "k"));
            await ExpectSameAsync("lnbits_error", "get_payment_status", new { payment_hash = new string('b', 64) }, payerHeaders);
            await ExpectSameAsync("forbidden_destination", "pay_lightning_address", new { lightning_address = "alice@169.254.169.254", amount_sats = 1 }, payerHeaders);
            await Sandbox.SetAsync(new { lnurl_mode = "error" });
            try
            {
                await ExpectSameAsync("lnurl_error", "pay_lightning_address", new { lightning_address = payee.LightningAddress, amount_sats = 10 }, payerHeaders);
            }
            finally
            {
                await Sandbox.ResetSettingsAsync();
            }

            await ExpectSameAsync("confirmation_required", "pay_invoice", new { bolt11 = (await Sandbox.ExternalInvoiceAsync(6_000)).Bolt11 }, payerHeaders);
            await ExpectSameAsync("read_only_session", "pay_invoice", new { session_id = readOnly, bolt11 = (await Sandbox.ExternalInvoiceAsync(10)).Bolt11 });
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                await client.DisposeAsync();
            }
        }

        Assert.Equal(
            ["invalid_argument", "no_session", "session_not_found", "not_configured", "invalid_invoice", "invoice_expired", "amountless_invoice",
             "limit_exceeded", "insufficient_balance", "already_paid", "lnbits_unauthorized", "lnbits_forbidden", "lnbits_unreachable",
             "lnbits_error", "forbidden_destination", "lnurl_error", "confirmation_required", "read_only_session"],
            covered);
        Assert.InRange(await Sandbox.BalanceMsatAsync(payer), 100_000_000 - 1_000_000 - 10_000, 100_000_000 - 1_000_000);
        Assert.Equal(5_000, await Sandbox.BalanceMsatAsync(poor));
        Assert.Equal(0, await Sandbox.BalanceMsatAsync(payee));
    }

    [Fact]
    public async Task APaymentAboveTheThresholdIsNeverPaidThroughTheRoute()
    {
        var payer = await Sandbox.CreateWalletAsync("threshold-payer", 50_000);
        var headers = RestToolCalls.LnbitsHeaders(Sandbox.Url, payer.AdminKey);
        var invoice = await Sandbox.ExternalInvoiceAsync(6_000);

        var first = (await _http.CallToolAsync(Server.Url, "pay_invoice", new { bolt11 = invoice.Bolt11 }, headers)).Error("confirmation_required");
        var again = (await _http.CallToolAsync(Server.Url, "pay_invoice", new { bolt11 = invoice.Bolt11 }, headers)).Error("confirmation_required");

        Assert.Equal(6_000, first.GetProperty("amount_sat").GetInt64());
        Assert.Equal(6_000, again.GetProperty("amount_sat").GetInt64());
        Assert.False(first.TryGetProperty("confirmation_token", out _));
        var pending = (await _http.CallToolAsync(Server.Url, "pay_invoice", new { bolt11 = invoice.Bolt11, approval_id = first.GetProperty("approval_id").GetString() }, headers)).Error("confirmation_required");
        Assert.Equal(first.GetProperty("approval_id").GetString(), pending.GetProperty("approval_id").GetString());
        Assert.Equal(50_000_000, await Sandbox.BalanceMsatAsync(payer));
        Assert.Single(await Sandbox.PaymentsAsync(payer)); // only the starting credit
    }

    [Fact]
    public async Task APaymentAboveTheThresholdGoesThroughTheRouteOnceAPersonApprovedItsLink()
    {
        var payer = await Sandbox.CreateWalletAsync("approved-rest-payer", 50_000);
        var headers = RestToolCalls.LnbitsHeaders(Sandbox.Url, payer.AdminKey);
        var invoice = await Sandbox.ExternalInvoiceAsync(6_000);
        var required = (await _http.CallToolAsync(Server.Url, "pay_invoice", new { bolt11 = invoice.Bolt11 }, headers)).Error("confirmation_required");
        var approvalId = required.GetProperty("approval_id").GetString();

        await ApprovalPages.DecideOkAsync(ApprovalPages.Url(required));
        var paid = (await _http.CallToolAsync(Server.Url, "pay_invoice", new { bolt11 = invoice.Bolt11, approval_id = approvalId }, headers)).Ok();
        (await _http.CallToolAsync(Server.Url, "pay_invoice", new { bolt11 = invoice.Bolt11, approval_id = approvalId }, headers)).Error("already_paid");

        Assert.Equal("success", paid.GetProperty("status").GetString());
        Assert.Single(await Sandbox.PaymentsAsync(payer), p => p.GetProperty("amount").GetInt64() < 0);
    }

    [Fact]
    public async Task AnUnknownToolIs404AndABodyThatIsNotTheSeedsShapeIs400Or415()
    {
        var unknown = (await _http.CallToolAsync(Server.Url, "pay_everyone")).Refusal(HttpStatusCode.NotFound);
        var malformed = (await _http.PostToolAsync(Server.Url, "get_session_info", "{\"name\": ")).Refusal(HttpStatusCode.BadRequest);
        var notAnObject = (await _http.PostToolAsync(Server.Url, "get_session_info", "[]")).Refusal(HttpStatusCode.BadRequest);
        var otherName = (await _http.PostToolAsync(Server.Url, "get_session_info", """{"name": "pay_invoice", "arguments": {}}""")).Refusal(HttpStatusCode.BadRequest);
        var badArguments = (await _http.PostToolAsync(Server.Url, "get_session_info", """{"name": "get_session_info", "arguments": [1]}""")).Refusal(HttpStatusCode.BadRequest);
        var notJson = (await _http.PostToolAsync(Server.Url, "get_session_info", "name=get_session_info", contentType: "application/x-www-form-urlencoded")).Refusal(HttpStatusCode.UnsupportedMediaType);
        var nameLeftOut = await _http.PostToolAsync(Server.Url, "decode_invoice", """{"arguments": {"bolt11": "lnbcrt1notaninvoice"}}""");

        Assert.Contains("'pay_everyone'", unknown.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("get_wallet_balance", unknown.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(-32700, malformed.GetProperty("code").GetInt32());
        Assert.StartsWith("invalid_argument", notAnObject.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("invalid_argument", otherName.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(-32602, badArguments.GetProperty("code").GetInt32());
        Assert.Contains("application/json", notJson.GetProperty("message").GetString(), StringComparison.Ordinal);
        nameLeftOut.Error("invalid_invoice");
    }

    [Fact]
    public async Task ABodyOverOneMebibyteIs413AndAForeignOriginIs403LikeOnMcp()
    {
        var huge = "{\"name\": \"decode_invoice\", \"arguments\": {\"bolt11\": \"" + new string('x', 1_100_000) + "\"}}";

        var tooLarge = (await _http.PostToolAsync(Server.Url, "decode_invoice", huge)).Refusal(HttpStatusCode.RequestEntityTooLarge);
        var foreign = (await _http.CallToolAsync(Server.Url, "get_session_info", headers: new Dictionary<string, string> { ["Origin"] = "https://evil.example" })).Refusal(HttpStatusCode.Forbidden);
        var sameOrigin = await _http.CallToolAsync(Server.Url, "get_session_info", headers: new Dictionary<string, string> { ["Origin"] = Server.Url.GetLeftPart(UriPartial.Authority) });
        using var viaMcp = new HttpRequestMessage(HttpMethod.Post, Server.McpUrl) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        viaMcp.Headers.Add("Origin", "https://evil.example");
        using var mcpForeign = await _http.SendAsync(viaMcp);

        Assert.Contains("1048576", tooLarge.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, mcpForeign.StatusCode);
        Assert.Equal(JsonDocument.Parse(await mcpForeign.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetRawText(), foreign.GetRawText());
        sameOrigin.Error("no_session");
    }

    private static string[] Names(JsonElement error) => [.. error.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
