using System.Text.Json;
using System.Text.Json.Nodes;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Tests.Payments;

/// <summary>
/// Clients that can ask the person themselves (CONTRACT §9): URL-mode elicitation to the approval page (the call
/// completes when the person decides), and 2026-07-28 clients through multi-round-trip requests whose sealed
/// request state is used once and cannot be forged.
/// </summary>
public sealed class ClientsThatCanAskThePersonAreSentToTheApprovalPage : SandboxServerTests
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:ConfirmAboveSats"] = "5000",
        ["Payments:MaxPaymentsPerHour"] = "100",
    };

    private static readonly ClientCapabilities s_urlElicitation = new() { Elicitation = new ElicitationCapability { Url = new UrlElicitationCapability() } };
    private static readonly ClientCapabilities s_formElicitation = new() { Elicitation = new ElicitationCapability { Form = new FormElicitationCapability() } };

    private async Task<McpClient> ConnectAsync(string? protocolVersion, ClientCapabilities capabilities, Func<ElicitRequestParams, ElicitResult> onElicit)
    {
        var handlers = new McpClientHandlers { ElicitationHandler = (request, _) => ValueTask.FromResult(onElicit(request!)) };
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = Server.McpUrl });
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion, Capabilities = capabilities, Handlers = handlers })
            .WaitAsync(ToolCalls.Timeout);
    }

    /// <summary>A new wallet and a session configured with it (by id: 2026-07-28 clients have no transport session).</summary>
    private async Task<(SandboxWallet Wallet, string SessionId)> WalletSessionAsync()
    {
        var wallet = await Sandbox.CreateWalletAsync("elicited-" + Guid.NewGuid().ToString("N")[..8], 100_000);
        await using var setup = await Server.ConnectAsync();
        var sessionId = (await setup.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;
        await setup.CallOkAsync("configure_lnbits", new { session_id = sessionId, lnbits_url = Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        return (wallet, sessionId);
    }

    /// <summary>The person, some time after the client opened the page, decides on it.</summary>
    private static Task PersonDecidesLaterAsync(string url, string action) => Task.Run(async () =>
    {
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        await ApprovalPages.DecideOkAsync(new Uri(url), action);
    });

    [Theory]
    [InlineData("2025-11-25", "approve", "success")]
    [InlineData("2025-11-25", "decline", "confirmation_declined")]
    [InlineData(null, "approve", "success")]
    [InlineData(null, "decline", "confirmation_declined")]
    public async Task AUrlElicitationOpensThePageAndTheCallCompletesWhenThePersonDecides(string? protocolVersion, string action, string expected)
    {
        var (wallet, sessionId) = await WalletSessionAsync();
        var invoice = await Sandbox.ExternalInvoiceAsync(6_000);
        Task? person = null;
        ElicitRequestParams? asked = null;
        await using var client = await ConnectAsync(protocolVersion, s_urlElicitation, request =>
        {
            asked = request;
            person = PersonDecidesLaterAsync(request.Url!, action);
            return new ElicitResult { Action = "accept" };
        });

        var result = await client.CallRawAsync("pay_invoice", new { session_id = sessionId, bolt11 = invoice.Bolt11 });
        await person!.WaitAsync(ToolCalls.Timeout);

        Assert.Equal("url", asked!.Mode);
        Assert.StartsWith(new Uri(Server.Url, "/approve/ap_").AbsoluteUri, asked.Url, StringComparison.Ordinal);
        Assert.Contains("6000 sats", asked.Message, StringComparison.Ordinal);
        Assert.Equal(expected, ToolCalls.Outcome(result));
        Assert.Equal(expected == "success" ? 1 : 0, (await Sandbox.PaymentsAsync(wallet)).Count(p => p.GetProperty("amount").GetInt64() < 0));
    }

    [Fact]
    public async Task AUrlElicitationTheClientDeclinesPaysNothingAndClosesThePage()
    {
        var (wallet, sessionId) = await WalletSessionAsync();
        var invoice = await Sandbox.ExternalInvoiceAsync(6_000);
        string? url = null;
        await using var client = await ConnectAsync("2025-11-25", s_urlElicitation, request =>
        {
            url = request.Url;
            return new ElicitResult { Action = "decline" };
        });

        await client.CallErrorAsync("pay_invoice", "confirmation_declined", new { session_id = sessionId, bolt11 = invoice.Bolt11 });

        using var http = new HttpClient { Timeout = ToolCalls.Timeout };
        using var page = await http.GetAsync(url);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, page.StatusCode);
        Assert.Equal(100_000_000, await Sandbox.BalanceMsatAsync(wallet));
    }

    [Fact]
    public async Task AClientThatCancelsWhileThePersonHasNotDecidedPaysNothing()
    {
        var (wallet, sessionId) = await WalletSessionAsync();
        var invoice = await Sandbox.ExternalInvoiceAsync(6_000);
        using var cancel = new CancellationTokenSource();
        string? url = null;
        await using var client = await ConnectAsync("2025-11-25", s_urlElicitation, request =>
        {
            url = request.Url;
            cancel.CancelAfter(TimeSpan.FromMilliseconds(500));
            return new ElicitResult { Action = "accept" };
        });

        var call = client.CallToolAsync("pay_invoice", new Dictionary<string, object?> { ["session_id"] = sessionId, ["bolt11"] = invoice.Bolt11 }, cancellationToken: cancel.Token).AsTask();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(ToolCalls.Timeout));

        await Task.Delay(TimeSpan.FromSeconds(1));
        await ApprovalPages.DecideOkAsync(new Uri(url!)); // the link still works, but nobody is waiting: nothing is paid
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(100_000_000, await Sandbox.BalanceMsatAsync(wallet));
    }

    [Theory]
    [InlineData(true, "success")]
    [InlineData(false, "confirmation_declined")]
    public async Task A20260728ClientWithFormsOnlyIsAskedThroughAMultiRoundTripRequest(bool confirm, string expected)
    {
        var (wallet, sessionId) = await WalletSessionAsync();
        var invoice = await Sandbox.ExternalInvoiceAsync(6_000);
        ElicitRequestParams? asked = null;
        await using var client = await ConnectAsync(null, s_formElicitation, request =>
        {
            asked = request;
            return new ElicitResult { Action = "accept", Content = new Dictionary<string, JsonElement> { ["confirm"] = JsonSerializer.SerializeToElement(confirm) } };
        });

        var result = await client.CallRawAsync("pay_invoice", new { session_id = sessionId, bolt11 = invoice.Bolt11 });

        Assert.NotEqual("url", asked!.Mode);
        Assert.Contains("confirm", asked.RequestedSchema!.Properties.Keys);
        Assert.Equal(expected, ToolCalls.Outcome(result));
        Assert.Equal(confirm ? 1 : 0, (await Sandbox.PaymentsAsync(wallet)).Count(p => p.GetProperty("amount").GetInt64() < 0));
    }

    [Fact]
    public async Task ATamperedOrReplayedRequestStateIsRefusedAndPaysNothing()
    {
        var (wallet, sessionId) = await WalletSessionAsync();
        var invoice = await Sandbox.ExternalInvoiceAsync(6_000);
        using var http = new HttpClient { BaseAddress = Server.Url, Timeout = ToolCalls.Timeout };
        var arguments = new JsonObject { ["session_id"] = sessionId, ["bolt11"] = invoice.Bolt11 };

        var first = await RawCallAsync(http, arguments, state: null);
        var state = first["requestState"]!.GetValue<string>();
        Assert.NotNull(first["inputRequests"]!["approval"]);
        var tampered = state[..^4] + (state[^4] == 'A' ? 'B' : 'A') + state[^3..];

        var forged = await RawCallAsync(http, arguments, tampered, confirm: true);
        var madeUp = await RawCallAsync(http, arguments, "eyJhIjoiYXBfeCJ9", confirm: true);
        Assert.Equal("invalid_argument", ErrorCode(forged));
        Assert.Equal("invalid_argument", ErrorCode(madeUp));
        Assert.Equal(100_000_000, await Sandbox.BalanceMsatAsync(wallet));

        var other = await Sandbox.ExternalInvoiceAsync(6_000);
        var otherPayment = await RawCallAsync(http, new JsonObject { ["session_id"] = sessionId, ["bolt11"] = other.Bolt11 }, state: null);
        var stateOfAnotherPayment = await RawCallAsync(http, arguments, otherPayment["requestState"]!.GetValue<string>(), confirm: true);
        Assert.Equal("invalid_argument", ErrorCode(stateOfAnotherPayment));

        var paid = await RawCallAsync(http, arguments, state, confirm: true);
        var replayed = await RawCallAsync(http, arguments, state, confirm: true);
        Assert.Equal("success", paid["structuredContent"]!["status"]!.GetValue<string>());
        Assert.Equal("invalid_argument", ErrorCode(replayed));
        Assert.Single(await Sandbox.PaymentsAsync(wallet), p => p.GetProperty("amount").GetInt64() < 0);
    }

    /// <summary>
    /// A 2026-07-28 <c>tools/call</c> as it is on the wire (no session; protocol and capabilities in <c>_meta</c>),
    /// with an optional retry's state and form answer; returns the JSON-RPC result.
    /// </summary>
    private static async Task<JsonNode> RawCallAsync(HttpClient http, JsonObject arguments, string? state, bool confirm = false)
    {
        const string protocol = "2026-07-28";
        var parameters = new JsonObject
        {
            ["name"] = "pay_invoice",
            ["arguments"] = arguments.DeepClone(),
            ["_meta"] = new JsonObject
            {
                [MetaKeys.ProtocolVersion] = protocol,
                [MetaKeys.ClientInfo] = new JsonObject { ["name"] = "raw-test-client", ["version"] = "1" },
                [MetaKeys.ClientCapabilities] = new JsonObject { ["elicitation"] = new JsonObject { ["form"] = new JsonObject() } },
            },
        };
        if (state is not null)
        {
            parameters["requestState"] = state;
            parameters["inputResponses"] = new JsonObject
            {
                ["approval"] = new JsonObject { ["action"] = "accept", ["content"] = new JsonObject { ["confirm"] = confirm } },
            };
        }

        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "tools/call", ["params"] = parameters };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", protocol);
        request.Headers.Add("Mcp-Method", "tools/call");
        request.Headers.Add("Mcp-Name", "pay_invoice");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var json = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
            ? text.Split('\n').Where(line => line.StartsWith("data:", StringComparison.Ordinal)).Select(line => line[5..].Trim()).Last(line => line.Contains("\"result\"", StringComparison.Ordinal) || line.Contains("\"error\"", StringComparison.Ordinal))
            : text;
        var message = JsonNode.Parse(json)!;
        return message["result"] ?? throw new Xunit.Sdk.XunitException("JSON-RPC error: " + message.ToJsonString());
    }

    private static string? ErrorCode(JsonNode result) => result["structuredContent"]?["error"]?["code"]?.GetValue<string>();
}
