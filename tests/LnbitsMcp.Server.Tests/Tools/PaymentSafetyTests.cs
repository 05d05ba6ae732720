using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Tests.Tools;

/// <summary>Money safety of the paying tools, end to end against the sandbox.</summary>
public sealed class PaymentSafetyTests : SandboxServerTests
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:MaxPaymentSats"] = "20000",
        ["Payments:DailyBudgetSats"] = "30000",
        ["Payments:MaxPaymentsPerHour"] = "25",
        ["Payments:ConfirmAboveSats"] = "5000",
        ["Payments:PendingPollTime"] = "00:00:03",

        // The one-time token is opt-in (CONTRACT §9); these tests cover it. The default (approvals only) is ApprovalTests'.
        ["Payments:AllowTokenConfirmation"] = "true",
    };

    private async Task<(McpClient Client, SandboxWallet Wallet)> PayerAsync(long balanceSat = 100_000, McpClientHandlers? handlers = null)
    {
        var wallet = await Sandbox.CreateWalletAsync("payer-" + Guid.NewGuid().ToString("N")[..8], balanceSat);
        var client = await Server.ConnectAsync(handlers: handlers);
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        return (client, wallet);
    }

    [Fact]
    public async Task TwentyConcurrentPaysOfOneInvoicePayOnce()
    {
        var (client, wallet) = await PayerAsync();
        await using var connection = client;
        var invoice = await Sandbox.ExternalInvoiceAsync(1_000);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.CallRawAsync("pay_invoice", new { bolt11 = invoice.Bolt11 })));

        Assert.Single(results, r => r.IsError != true);
        Assert.All(results.Where(r => r.IsError == true), r => Assert.Equal("already_paid", r.StructuredContent!.Value.GetProperty("error").GetProperty("code").GetString()));
        var balance = await Sandbox.BalanceMsatAsync(wallet);
        Assert.InRange(balance, 100_000_000 - 1_000_000 - 2_000, 100_000_000 - 1_000_000);
    }

    [Fact]
    public async Task InvalidExpiredAmountlessWrongNetworkAndOverLimitInvoicesAreRefusedBeforeLnbits()
    {
        var (client, wallet) = await PayerAsync();
        await using var connection = client;
        var amountless = await Sandbox.ExternalInvoiceAsync(null);
        var expiring = await Sandbox.ExternalInvoiceAsync(10, expirySeconds: 1);
        var tooLarge = await Sandbox.ExternalInvoiceAsync(20_001);
        const string mainnetSpecInvoice = "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        await client.CallErrorAsync("pay_invoice", "invalid_invoice", new { bolt11 = "lnbcrt1notaninvoice" });
        await client.CallErrorAsync("pay_invoice", "amountless_invoice", new { bolt11 = amountless.Bolt11 });
        await client.CallErrorAsync("pay_invoice", "invoice_expired", new { bolt11 = expiring.Bolt11 });
        var overLimit = await client.CallErrorAsync("pay_invoice", "limit_exceeded", new { bolt11 = tooLarge.Bolt11 });
        var wrongNetwork = await client.CallErrorAsync("pay_invoice", "invalid_invoice", new { bolt11 = mainnetSpecInvoice });

        Assert.Equal("max_payment_sats", overLimit.GetProperty("limit").GetString());
        Assert.Equal(20_000, overLimit.GetProperty("max_payment_sats").GetInt64());
        Assert.Contains("bitcoin", wrongNetwork.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(100_000_000, await Sandbox.BalanceMsatAsync(wallet));
        Assert.Single(await Sandbox.PaymentsAsync(wallet)); // only the starting credit
    }

    [Fact]
    public async Task ADryRunReportsWhatWouldHappenAndPaysNothing()
    {
        var (client, wallet) = await PayerAsync(balanceSat: 3_000);
        await using var connection = client;
        var affordable = await Sandbox.ExternalInvoiceAsync(1_000);
        var unaffordable = await Sandbox.ExternalInvoiceAsync(2_990);

        var dry = await client.CallOkAsync("pay_invoice", new { bolt11 = affordable.Bolt11, dry_run = true });
        var poor = await client.CallOkAsync("pay_invoice", new { bolt11 = unaffordable.Bolt11, dry_run = true });

        Assert.Equal("dry_run", dry.GetProperty("status").GetString());
        Assert.True(dry.GetProperty("dry_run").GetBoolean());
        Assert.Equal(affordable.PaymentHash, dry.GetProperty("payment_hash").GetString());
        Assert.Equal(1_000, dry.GetProperty("amount_sat").GetInt64());
        Assert.Equal(10_000, dry.GetProperty("fee_reserve_msat").GetInt64());
        Assert.Equal(3_000, dry.GetProperty("balance_sat").GetInt64());
        Assert.False(dry.GetProperty("requires_confirmation").GetBoolean());
        Assert.Equal(30_000, dry.GetProperty("limits").GetProperty("daily_budget_left_sats").GetInt64());
        Assert.Empty(dry.GetProperty("problems").EnumerateArray());
        Assert.Contains(poor.GetProperty("problems").EnumerateArray(), p => p.GetString()!.Contains("insufficient balance", StringComparison.Ordinal));
        Assert.Equal(3_000_000, await Sandbox.BalanceMsatAsync(wallet));
        Assert.Equal("success", (await client.CallOkAsync("pay_invoice", new { bolt11 = affordable.Bolt11 })).GetProperty("status").GetString());
    }

    [Fact]
    public async Task WithTokensEnabledAClientWithoutElicitationAlsoGetsAOneTimeToken()
    {
        var (client, wallet) = await PayerAsync();
        await using var connection = client;
        var invoice = await Sandbox.ExternalInvoiceAsync(6_000);
        var other = await Sandbox.ExternalInvoiceAsync(6_000);

        var required = await client.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11 = invoice.Bolt11 });
        var token = required.GetProperty("confirmation_token").GetString()!;
        Assert.Equal(6_000, required.GetProperty("amount_sat").GetInt64());
        Assert.Equal(120, required.GetProperty("expires_in_seconds").GetInt64());
        Assert.Equal(100_000_000, await Sandbox.BalanceMsatAsync(wallet));

        await client.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11 = other.Bolt11, confirmation_token = token + "x" });
        var paid = await client.CallOkAsync("pay_invoice", new { bolt11 = invoice.Bolt11, confirmation_token = token });
        Assert.Equal("success", paid.GetProperty("status").GetString());

        var otherRequired = await client.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11 = other.Bolt11 });
        var replay = await client.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11 = other.Bolt11, confirmation_token = token });
        Assert.False(replay.TryGetProperty("confirmation_token", out _));
        Assert.True(otherRequired.TryGetProperty("confirmation_token", out _));
        Assert.InRange(await Sandbox.BalanceMsatAsync(wallet), 100_000_000 - 6_000_000 - 100_000, 100_000_000 - 6_000_000);
    }

    [Fact]
    public async Task ATokenOfOneSessionDoesNotConfirmAnothersPayment()
    {
        var (alice, _) = await PayerAsync();
        var (bob, bobWallet) = await PayerAsync();
        await using var a = alice;
        await using var b = bob;
        var invoice = await Sandbox.ExternalInvoiceAsync(7_000);

        var token = (await alice.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11 = invoice.Bolt11 })).GetProperty("confirmation_token").GetString();
        await bob.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11 = invoice.Bolt11, confirmation_token = token });

        Assert.Equal(100_000_000, await Sandbox.BalanceMsatAsync(bobWallet));
    }

    [Theory]
    [InlineData(true, "success")]
    [InlineData(false, "confirmation_declined")]
    public async Task AClientWithElicitationIsAskedAndItsAnswerDecides(bool accept, string expected)
    {
        string? asked = null;
        var handlers = new McpClientHandlers
        {
            ElicitationHandler = (request, _) =>
            {
                asked = request?.Message;
                return ValueTask.FromResult(accept
                    ? new ElicitResult { Action = "accept", Content = new Dictionary<string, JsonElement> { ["confirm"] = JsonSerializer.SerializeToElement(true) } }
                    : new ElicitResult { Action = "decline" });
            },
        };
        var (client, wallet) = await PayerAsync(handlers: handlers);
        await using var connection = client;
        var invoice = await Sandbox.ExternalInvoiceAsync(8_000);

        var result = await client.CallRawAsync("pay_invoice", new { bolt11 = invoice.Bolt11 });

        Assert.Contains("8000 sats", asked, StringComparison.Ordinal);
        if (accept)
        {
            Assert.Equal(expected, result.StructuredContent!.Value.GetProperty("status").GetString());
            Assert.True(await Sandbox.BalanceMsatAsync(wallet) < 100_000_000 - 8_000_000 + 1);
        }
        else
        {
            Assert.True(result.IsError);
            Assert.Equal(expected, result.StructuredContent!.Value.GetProperty("error").GetProperty("code").GetString());
            Assert.Equal(100_000_000, await Sandbox.BalanceMsatAsync(wallet));
        }
    }

    [Fact]
    public async Task TheDailyBudgetAndTheHourlyCountAreEnforcedAndSayWhatIsLeft()
    {
        var (client, _) = await PayerAsync();
        await using var connection = client;
        for (var i = 0; i < 6; i++)
        {
            var invoice = await Sandbox.ExternalInvoiceAsync(4_900);
            await client.CallOkAsync("pay_invoice", new { bolt11 = invoice.Bolt11 });
        }

        var next = await Sandbox.ExternalInvoiceAsync(1_000);
        var refused = await client.CallErrorAsync("pay_invoice", "limit_exceeded", new { bolt11 = next.Bolt11 });

        Assert.Equal("daily_budget_sats", refused.GetProperty("limit").GetString());
        Assert.Equal(600, refused.GetProperty("left_sats").GetInt64());
        var small = await Sandbox.ExternalInvoiceAsync(600);
        await client.CallOkAsync("pay_invoice", new { bolt11 = small.Bolt11 });
    }

    [Fact]
    public async Task AnInvoiceKeySessionIsReadOnly()
    {
        var wallet = await Sandbox.CreateWalletAsync("readonly-" + Guid.NewGuid().ToString("N")[..6], 10_000);
        await using var client = await Server.ConnectAsync();
        var configured = await client.CallOkAsync("configure_lnbits", new { lnbits_url = Sandbox.Url.AbsoluteUri, api_key = wallet.InvoiceKey });
        var invoice = await Sandbox.ExternalInvoiceAsync(10);

        await client.CallErrorAsync("pay_invoice", "read_only_session", new { bolt11 = invoice.Bolt11 });
        await client.CallErrorAsync("pay_lightning_address", "read_only_session", new { lightning_address = wallet.LightningAddress, amount_sats = 1 });
        var created = await client.CallOkAsync("create_invoice", new { amount = 5 });

        Assert.Equal("invoice", configured.GetProperty("key_type").GetString());
        Assert.StartsWith("lnbcrt", created.GetProperty("bolt11").GetString(), StringComparison.Ordinal);
        Assert.Equal(10_000_000, await Sandbox.BalanceMsatAsync(wallet));
    }

    [Fact]
    public async Task AUserTightensLimitsButCannotLoosenThem()
    {
        var (client, wallet) = await PayerAsync();
        await using var connection = client;

        var limits = await client.CallOkAsync("set_payment_limits", new { max_payment_sats = 500, confirm_above_sats = 0 });
        await client.CallErrorAsync("set_payment_limits", "limit_exceeded", new { daily_budget_sats = 1_000_000 });
        var over = await Sandbox.ExternalInvoiceAsync(501);
        var refused = await client.CallErrorAsync("pay_invoice", "limit_exceeded", new { bolt11 = over.Bolt11 });
        var small = await Sandbox.ExternalInvoiceAsync(100);
        await client.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11 = small.Bolt11 });

        Assert.Equal(500, limits.GetProperty("max_payment_sats").GetInt64());
        Assert.Equal(30_000, limits.GetProperty("daily_budget_sats").GetInt64());
        Assert.Equal(0, limits.GetProperty("confirm_above_sats").GetInt64());
        Assert.Equal(500, refused.GetProperty("max_payment_sats").GetInt64());
        Assert.Equal(100_000_000, await Sandbox.BalanceMsatAsync(wallet));
    }

    [Fact]
    public async Task ToolsListMarksThePayingToolsOfAReadOnlySession()
    {
        var wallet = await Sandbox.CreateWalletAsync("readonly-list", 10);
        await using var client = await Server.ConnectAsync();
        var before = await client.ListToolsAsync().AsTask().WaitAsync(ServerHost.Timeout);
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = Sandbox.Url.AbsoluteUri, api_key = wallet.InvoiceKey });

        var after = await client.ListToolsAsync().AsTask().WaitAsync(ServerHost.Timeout);

        Assert.DoesNotContain(before, t => t.Description.StartsWith("[Unavailable", StringComparison.Ordinal));
        Assert.All(after.Where(t => t.Name is "pay_invoice" or "pay_lightning_address"), t =>
        {
            Assert.StartsWith("[Unavailable in this read-only session", t.Description, StringComparison.Ordinal);
            Assert.Equal("read_only_session", t.ProtocolTool.Meta?["lnbits_mcp/unavailable"]?.GetValue<string>());
        });
        Assert.DoesNotContain(after.Where(t => t.Name is "create_invoice" or "get_wallet_balance"), t => t.Description.StartsWith("[Unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APendingPaymentIsPolledUntilItSettles()
    {
        var (client, _) = await PayerAsync();
        await using var connection = client;
        await Sandbox.SetAsync(new { pay_mode = "pending", settle_after_ms = 1_200 });
        try
        {
            var invoice = await Sandbox.ExternalInvoiceAsync(100);
            var paid = await client.CallOkAsync("pay_invoice", new { bolt11 = invoice.Bolt11 });
            Assert.Equal("success", paid.GetProperty("status").GetString());

            await Sandbox.SetAsync(new { pay_mode = "pending", settle_after_ms = 30_000 });
            var slow = await Sandbox.ExternalInvoiceAsync(100);
            var pending = await client.CallOkAsync("pay_invoice", new { bolt11 = slow.Bolt11 });
            Assert.Equal("pending", pending.GetProperty("status").GetString());
            Assert.False(pending.TryGetProperty("preimage", out _));
            await client.CallErrorAsync("pay_invoice", "already_paid", new { bolt11 = slow.Bolt11 });
        }
        finally
        {
            await Sandbox.ResetSettingsAsync();
        }
    }

    [Fact]
    public async Task AFailedPaymentSpendsNothingAndReleasesItsHash()
    {
        var (client, wallet) = await PayerAsync();
        await using var connection = client;
        var invoice = await Sandbox.ExternalInvoiceAsync(200);
        await Sandbox.SetAsync(new { pay_mode = "fail" });
        try
        {
            await client.CallErrorAsync("pay_invoice", "lnbits_error", new { bolt11 = invoice.Bolt11 });
        }
        finally
        {
            await Sandbox.ResetSettingsAsync();
        }

        Assert.Equal(100_000_000, await Sandbox.BalanceMsatAsync(wallet));

        // Our ledger released the hash, so a second attempt reaches LNbits (not already_paid);
        // LNbits itself refuses to retry a payment that failed on the node.
        var retry = await client.CallErrorAsync("pay_invoice", "lnbits_error", new { bolt11 = invoice.Bolt11 });
        Assert.Contains("retrying is not possible", retry.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(100_000_000, await Sandbox.BalanceMsatAsync(wallet));
    }
}
