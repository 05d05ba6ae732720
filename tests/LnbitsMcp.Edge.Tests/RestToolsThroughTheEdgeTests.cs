using System.Net;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Edge.Tests;

/// <summary>
/// The REST debug route through the edge, two server instances behind it: any instance serves a call (a
/// session_id works everywhere: its state is in Redis), REST calls are rate limited per client address, and a
/// payment above the threshold is approved on the page through the edge (any instance) and paid once.
/// </summary>
public sealed class RestToolsThroughTheEdgeTests : IAsyncLifetime
{
    private EdgeStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await EdgeStack.StartAsync(servers: 2, new Dictionary<string, string?>
    {
        ["RateLimiting__Session__TokenLimit"] = "30",
        ["RateLimiting__Session__TokensPerPeriod"] = "1",
        ["RateLimiting__Session__ReplenishmentPeriod"] = "00:00:05",
    });

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task TheSeedsCallWorksThroughTheEdgeAndASessionIdOnEveryInstance()
    {
        using var http = SourceAddress.HttpClient("127.0.0.2");
        var wallet = await _stack.Sandbox.CreateWalletAsync("edge-rest", 3_000);

        var tested = (await http.CallToolAsync(_stack.HttpUrl, "test_lnbits_configuration", headers: RestToolCalls.LnbitsHeaders(_stack.Sandbox.Url, wallet.AdminKey))).Ok();
        var sessionId = (await http.CallToolAsync(_stack.HttpUrl, "create_session")).Ok().GetProperty("session_id").GetString()!;
        (await http.CallToolAsync(_stack.HttpUrl, "configure_lnbits", new { session_id = sessionId, lnbits_url = _stack.Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey })).Ok();
        var infos = new List<System.Text.Json.JsonElement>();
        for (var i = 0; i < 20; i++)
        {
            infos.Add((await http.CallToolAsync(_stack.HttpUrl, "get_session_info", new { session_id = sessionId })).Ok());
        }

        Assert.Equal("edge-rest", tested.GetProperty("wallet_name").GetString());
        Assert.All(infos, info => Assert.True(info.GetProperty("is_configured").GetBoolean()));
        Assert.Single(infos.Select(info => info.GetProperty("session_hint").GetString()).Distinct());
        Assert.Equal(["server0", "server1"], infos.Select(info => info.GetProperty("replica").GetString()).Distinct().Order());
    }

    [Fact]
    public async Task ABurstOfRestCallsGets429WithRetryAfterAndAnotherClientAddressDoesNot()
    {
        using var greedy = SourceAddress.HttpClient("127.0.0.3");
        using var calm = SourceAddress.HttpClient("127.0.0.4");

        var answers = new List<RestAnswer>();
        for (var i = 0; i < 40; i++)
        {
            answers.Add(await greedy.CallToolAsync(_stack.HttpUrl, "get_lnbits_configuration"));
        }

        var rejected = answers.First(a => a.Status == HttpStatusCode.TooManyRequests);
        var error = rejected.Refusal(HttpStatusCode.TooManyRequests);
        Assert.InRange(answers.Count(a => a.Status == HttpStatusCode.OK), 30, 32);
        Assert.True(rejected.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), rejected.Headers.RetryAfter?.ToString());
        Assert.Contains("Rate limit", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        (await calm.CallToolAsync(_stack.HttpUrl, "get_lnbits_configuration")).Ok();
    }

    [Fact]
    public async Task APaymentAboveTheThresholdIsApprovedOnTheEdgesPageAndPaidOnceByTheRepeat()
    {
        using var http = SourceAddress.HttpClient("127.0.0.5");
        var wallet = await _stack.Sandbox.CreateWalletAsync("edge-approval", 20_000);
        var headers = RestToolCalls.LnbitsHeaders(_stack.Sandbox.Url, wallet.AdminKey);
        var invoice = await _stack.Sandbox.ExternalInvoiceAsync(11_000);

        var required = (await http.CallToolAsync(_stack.HttpUrl, "pay_invoice", new { bolt11 = invoice.Bolt11 }, headers)).Error("confirmation_required");
        var url = ApprovalPages.Url(required);
        await ApprovalPages.DecideOkAsync(url);
        var approvalId = required.GetProperty("approval_id").GetString();
        var answers = new List<RestAnswer>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await http.CallToolAsync(_stack.HttpUrl, "pay_invoice", new { bolt11 = invoice.Bolt11, approval_id = approvalId }, headers));
        }

        Assert.Equal(new Uri(_stack.HttpUrl, "/approve/" + approvalId), url);
        Assert.Equal("success", answers[0].Ok().GetProperty("status").GetString());
        Assert.All(answers.Skip(1), answer => answer.Error("already_paid"));
        Assert.Single(await _stack.Sandbox.PaymentsAsync(wallet), p => p.GetProperty("amount").GetInt64() < 0);
    }
}
