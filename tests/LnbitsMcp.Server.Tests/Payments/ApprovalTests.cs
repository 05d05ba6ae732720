using System.Globalization;
using System.Net;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Tests.Payments;

/// <summary>
/// Above the threshold a payment waits for a person on the approval page (CONTRACT §9), with default settings
/// (no confirmation token), on two server instances sharing one real Redis: a repeat with <c>approval_id</c>
/// answers pending, then pays once after the page's approval, or answers declined.
/// </summary>
public sealed class PaymentsAboveTheThresholdWaitForAPersonOnTheApprovalPage : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private Sandbox _sandbox = null!;
    private ServerHost _first = null!;
    private ServerHost _second = null!;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _sandbox = await Sandbox.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = _redis.ConnectionString,
            ["Payments:ConfirmAboveSats"] = "5000",
            ["Payments:MaxPaymentsPerHour"] = "100",
        };
        _first = await ServerHost.StartAsync(settings);
        _second = await ServerHost.StartAsync(settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _sandbox.DisposeAsync();
        await _redis.DisposeAsync();
    }

    /// <summary>A wallet, a session configured with it, and a client of each instance using that session.</summary>
    private async Task<Payer> PayerAsync(long balanceSat = 100_000)
    {
        var wallet = await _sandbox.CreateWalletAsync("approver-" + Guid.NewGuid().ToString("N")[..8], balanceSat);
        var first = await _first.ConnectAsync();
        var sessionId = (await first.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;
        await first.CallOkAsync("configure_lnbits", new { session_id = sessionId, lnbits_url = _sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        return new Payer(wallet, sessionId, first, await _second.ConnectAsync());
    }

    [Fact]
    public async Task TheRepeatAnswersPendingUntilThePersonApprovesThenPaysOnce()
    {
        await using var payer = await PayerAsync();
        var invoice = await _sandbox.ExternalInvoiceAsync(6_000);
        var before = DateTimeOffset.UtcNow;

        var required = await payer.First.CallErrorAsync("pay_invoice", "confirmation_required", new { session_id = payer.SessionId, bolt11 = invoice.Bolt11 });
        var approvalId = required.GetProperty("approval_id").GetString()!;
        var url = ApprovalPages.Url(required);
        var expiresAt = DateTimeOffset.Parse(required.GetProperty("expires_at").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(new Uri(_first.Url, "/approve/" + approvalId), url);
        Assert.InRange(expiresAt, before.AddMinutes(5).AddSeconds(-2), DateTimeOffset.UtcNow.AddMinutes(5).AddSeconds(1));
        Assert.False(required.TryGetProperty("confirmation_token", out _));
        Assert.Contains(url.AbsoluteUri, required.GetProperty("message").GetString(), StringComparison.Ordinal);

        var pending = await payer.Second.CallErrorAsync("pay_invoice", "confirmation_required", new { session_id = payer.SessionId, bolt11 = invoice.Bolt11, approval_id = approvalId });
        Assert.Equal(approvalId, pending.GetProperty("approval_id").GetString());
        Assert.Equal(100_000_000, await _sandbox.BalanceMsatAsync(payer.Wallet));

        await ApprovalPages.DecideOkAsync(new Uri(_second.Url, url.PathAndQuery)); // the page on the other instance
        var paid = await payer.Second.CallOkAsync("pay_invoice", new { session_id = payer.SessionId, bolt11 = invoice.Bolt11, approval_id = approvalId });
        await payer.First.CallErrorAsync("pay_invoice", "already_paid", new { session_id = payer.SessionId, bolt11 = invoice.Bolt11, approval_id = approvalId });
        using var http = new HttpClient { Timeout = ToolCalls.Timeout };
        using var again = await http.GetAsync(url);

        Assert.Equal("success", paid.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Single(await _sandbox.PaymentsAsync(payer.Wallet), p => p.GetProperty("amount").GetInt64() < 0);
        Assert.InRange(await _sandbox.BalanceMsatAsync(payer.Wallet), 100_000_000 - 6_000_000 - 100_000, 100_000_000 - 6_000_000);
    }

    [Fact]
    public async Task ADeclinedApprovalAnswersConfirmationDeclinedAndPaysNothing()
    {
        await using var payer = await PayerAsync();
        var invoice = await _sandbox.ExternalInvoiceAsync(7_000);
        var required = await payer.First.CallErrorAsync("pay_invoice", "confirmation_required", new { session_id = payer.SessionId, bolt11 = invoice.Bolt11 });
        var approvalId = required.GetProperty("approval_id").GetString()!;

        await ApprovalPages.DecideOkAsync(ApprovalPages.Url(required), "decline");
        using var http = new HttpClient { Timeout = ToolCalls.Timeout };
        using var approveAfterDecline = await http.GetAsync(ApprovalPages.Url(required));

        Assert.Equal(HttpStatusCode.Conflict, approveAfterDecline.StatusCode);
        await payer.First.CallErrorAsync("pay_invoice", "confirmation_declined", new { session_id = payer.SessionId, bolt11 = invoice.Bolt11, approval_id = approvalId });
        await payer.Second.CallErrorAsync("pay_invoice", "confirmation_declined", new { session_id = payer.SessionId, bolt11 = invoice.Bolt11, approval_id = approvalId });
        Assert.Equal(100_000_000, await _sandbox.BalanceMsatAsync(payer.Wallet));
    }

    [Fact]
    public async Task TwentyConcurrentRepeatsOfAnApprovedPaymentAcrossTwoInstancesPayOnce()
    {
        await using var payer = await PayerAsync();
        var invoice = await _sandbox.ExternalInvoiceAsync(6_500);
        var required = await payer.First.CallErrorAsync("pay_invoice", "confirmation_required", new { session_id = payer.SessionId, bolt11 = invoice.Bolt11 });
        var approvalId = required.GetProperty("approval_id").GetString()!;
        await ApprovalPages.DecideOkAsync(ApprovalPages.Url(required));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? payer.First : payer.Second)
            .CallRawAsync("pay_invoice", new { session_id = payer.SessionId, bolt11 = invoice.Bolt11, approval_id = approvalId })));

        Assert.Single(results, r => r.IsError != true);
        Assert.All(results.Where(r => r.IsError == true), r => Assert.Equal("already_paid", r.StructuredContent!.Value.GetProperty("error").GetProperty("code").GetString()));
        Assert.Single(await _sandbox.PaymentsAsync(payer.Wallet), p => p.GetProperty("amount").GetInt64() < 0);
        Assert.InRange(await _sandbox.BalanceMsatAsync(payer.Wallet), 100_000_000 - 6_500_000 - 100_000, 100_000_000 - 6_500_000);
    }

    [Fact]
    public async Task AnApprovalPaysOnlyTheSessionAndThePaymentItWasIssuedFor()
    {
        await using var alice = await PayerAsync();
        await using var bob = await PayerAsync();
        var invoice = await _sandbox.ExternalInvoiceAsync(8_000);
        var other = await _sandbox.ExternalInvoiceAsync(8_000);
        var required = await alice.First.CallErrorAsync("pay_invoice", "confirmation_required", new { session_id = alice.SessionId, bolt11 = invoice.Bolt11 });
        var approvalId = required.GetProperty("approval_id").GetString()!;
        await ApprovalPages.DecideOkAsync(ApprovalPages.Url(required));

        await bob.First.CallErrorAsync("pay_invoice", "confirmation_declined", new { session_id = bob.SessionId, bolt11 = invoice.Bolt11, approval_id = approvalId });
        await alice.First.CallErrorAsync("pay_invoice", "confirmation_declined", new { session_id = alice.SessionId, bolt11 = other.Bolt11, approval_id = approvalId });
        Assert.Equal(100_000_000, await _sandbox.BalanceMsatAsync(bob.Wallet));
        Assert.Equal(100_000_000, await _sandbox.BalanceMsatAsync(alice.Wallet));

        var paid = await alice.Second.CallOkAsync("pay_invoice", new { session_id = alice.SessionId, bolt11 = invoice.Bolt11, approval_id = approvalId });
        Assert.Equal("success", paid.GetProperty("status").GetString());
    }

    [Fact]
    public async Task WithDefaultSettingsNoSequenceOfToolCallsAlonePaysAboveTheThreshold()
    {
        await using var payer = await PayerAsync();
        var invoice = await _sandbox.ExternalInvoiceAsync(9_000);
        var payee = await _sandbox.CreateWalletAsync("model-path-payee");
        var model = payer.First;

        var first = await model.CallErrorAsync("pay_invoice", "confirmation_required", new { session_id = payer.SessionId, bolt11 = invoice.Bolt11 });
        var approvalId = first.GetProperty("approval_id").GetString()!;
        Assert.False(first.TryGetProperty("confirmation_token", out _));
        var attempts = new object[]
        {
            new { session_id = payer.SessionId, bolt11 = invoice.Bolt11, approval_id = approvalId },
            new { session_id = payer.SessionId, bolt11 = invoice.Bolt11, confirmation_token = "ct_made_up_by_the_model" },
            new { session_id = payer.SessionId, bolt11 = invoice.Bolt11, confirmation_token = approvalId },
            new { session_id = payer.SessionId, bolt11 = invoice.Bolt11, approval_id = approvalId, confirmation_token = approvalId },
            new { session_id = payer.SessionId, bolt11 = invoice.Bolt11, approval_id = "ap_" + new string('A', 32) },
            new { session_id = payer.SessionId, bolt11 = invoice.Bolt11, approval_id = approvalId + "x" },
            new { session_id = payer.SessionId, bolt11 = invoice.Bolt11, dry_run = true, approval_id = approvalId },
            new { session_id = payer.SessionId, bolt11 = invoice.Bolt11 },
        };
        foreach (var attempt in attempts)
        {
            var result = await model.CallRawAsync("pay_invoice", attempt);
            Assert.Contains(ToolCalls.Outcome(result), new[] { "confirmation_required", "confirmation_declined", "dry_run" });
        }

        await model.CallErrorAsync("set_payment_limits", "limit_exceeded", new { session_id = payer.SessionId, confirm_above_sats = 20_000 });
        var address = await model.CallErrorAsync("pay_lightning_address", "confirmation_required", new { session_id = payer.SessionId, lightning_address = payee.LightningAddress, amount_sats = 9_000 });
        await model.CallErrorAsync("pay_lightning_address", "confirmation_required",
            new { session_id = payer.SessionId, lightning_address = payee.LightningAddress, amount_sats = 9_000, approval_id = address.GetProperty("approval_id").GetString() });

        Assert.Equal(100_000_000, await _sandbox.BalanceMsatAsync(payer.Wallet));
        Assert.DoesNotContain(await _sandbox.PaymentsAsync(payer.Wallet), p => p.GetProperty("amount").GetInt64() < 0);
    }

    private sealed record Payer(SandboxWallet Wallet, string SessionId, McpClient First, McpClient Second) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await First.DisposeAsync();
            await Second.DisposeAsync();
        }
    }
}

/// <summary>An approval nobody decides (or uses) in time expires: the repeat answers <c>confirmation_declined</c> and the page says so.</summary>
public sealed class AnApprovalNobodyDecidesExpires : SandboxServerTests
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:ConfirmAboveSats"] = "5000",
        ["Payments:ApprovalLifetime"] = "00:00:04",
    };

    [Fact]
    public async Task AfterItsExpiryTheRepeatIsDeclinedAndThePageIsGone()
    {
        var wallet = await Sandbox.CreateWalletAsync("expiring", 100_000);
        await using var client = await Server.ConnectAsync();
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var invoice = await Sandbox.ExternalInvoiceAsync(6_000);
        var required = await client.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11 = invoice.Bolt11 });
        var approvedInvoice = await Sandbox.ExternalInvoiceAsync(6_001);
        var approved = await client.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11 = approvedInvoice.Bolt11 });
        await ApprovalPages.DecideOkAsync(ApprovalPages.Url(approved));

        await Task.Delay(TimeSpan.FromSeconds(4.5));

        using var http = new HttpClient { Timeout = ToolCalls.Timeout };
        using var page = await http.GetAsync(ApprovalPages.Url(required));
        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        var declined = await client.CallErrorAsync("pay_invoice", "confirmation_declined", new { bolt11 = invoice.Bolt11, approval_id = required.GetProperty("approval_id").GetString() });
        Assert.Contains("expired", declined.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(100_000_000, await Sandbox.BalanceMsatAsync(wallet));
        await client.CallErrorAsync("pay_invoice", "confirmation_declined", new { bolt11 = approvedInvoice.Bolt11, approval_id = approved.GetProperty("approval_id").GetString() });
        Assert.Equal(100_000_000, await Sandbox.BalanceMsatAsync(wallet));
    }

    [Fact]
    public async Task AUrlElicitationNobodyAnswersOnThePageEndsAtTheExpiry()
    {
        var wallet = await Sandbox.CreateWalletAsync("expiring-elicited", 100_000);
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = Server.McpUrl });
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions
        {
            ProtocolVersion = "2025-11-25",
            Capabilities = new ClientCapabilities { Elicitation = new ElicitationCapability { Url = new UrlElicitationCapability() } },
            Handlers = new McpClientHandlers { ElicitationHandler = (_, _) => ValueTask.FromResult(new ElicitResult { Action = "accept" }) },
        }).WaitAsync(ToolCalls.Timeout);
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        var started = DateTimeOffset.UtcNow;

        var declined = await client.CallErrorAsync("pay_invoice", "confirmation_declined", new { bolt11 = (await Sandbox.ExternalInvoiceAsync(6_000)).Bolt11 });

        Assert.Contains("expired", declined.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.InRange(DateTimeOffset.UtcNow - started, TimeSpan.FromSeconds(3.5), TimeSpan.FromSeconds(30));
        Assert.Equal(100_000_000, await Sandbox.BalanceMsatAsync(wallet));
    }
}
