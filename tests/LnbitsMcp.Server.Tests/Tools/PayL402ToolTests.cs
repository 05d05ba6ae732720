using System.Net.Http.Json;
using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Tools;

/// <summary>
/// pay_l402 end to end over real loopback HTTP against the sandbox's L402 resource (<c>/sandbox/l402/{name}</c>, 10 sats
/// by default): pays once through the payment policy, repeats with the credential, reuses it, and refuses before paying
/// whatever must not be paid. The sandbox's <c>/sandbox/l402-stats</c> tells how many invoices were minted and served.
/// </summary>
public sealed class PayL402ToolTests(SandboxAndServer app) : IClassFixture<SandboxAndServer>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await app.Sandbox.ResetSettingsAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<(McpClient Client, SandboxWallet Payer)> PayerAsync(long balanceSat = 10_000)
    {
        var wallet = await app.Sandbox.CreateWalletAsync("l402-" + Guid.NewGuid().ToString("N")[..8], balanceSat);
        return (await app.ConnectAsync(wallet.AdminKey), wallet);
    }

    private static string Resource() => "res-" + Guid.NewGuid().ToString("N")[..10];

    private string UrlOf(string resource, string query = "") => new Uri(app.Sandbox.Url, $"/sandbox/l402/{resource}{query}").AbsoluteUri;

    private async Task<(long Challenges, long Served, long Refused)> StatsAsync(string resource)
    {
        var stats = await app.Sandbox.Http.GetFromJsonAsync<JsonElement>("/sandbox/l402-stats");
        return stats.TryGetProperty(resource, out var counts)
            ? (counts.GetProperty("challenges").GetInt64(), counts.GetProperty("served").GetInt64(), counts.GetProperty("refused").GetInt64())
            : (0, 0, 0);
    }

    private async Task<int> OutgoingPaymentsAsync(SandboxWallet wallet) =>
        (await app.Sandbox.PaymentsAsync(wallet)).Count(p => p.GetProperty("amount").GetInt64() < 0);

    [Fact]
    public async Task PaysOnceRepeatsWithTheCredentialAndReusesItWithoutPayingAgain()
    {
        var (client, payer) = await PayerAsync();
        await using var connection = client;
        var resource = Resource();

        var first = await client.CallOkAsync("pay_l402", new { url = UrlOf(resource), max_sats = 20 });
        var second = await client.CallOkAsync("pay_l402", new { url = UrlOf(resource), max_sats = 20 });

        Assert.Equal(200, first.GetProperty("status").GetInt32());
        Assert.Equal("paid", first.GetProperty("credential").GetString());
        Assert.Equal(10, first.GetProperty("paid_sats").GetInt64());
        Assert.Equal("application/json", first.GetProperty("content_type").GetString());
        var body = JsonDocument.Parse(first.GetProperty("body").GetString()!).RootElement;
        Assert.Equal(resource, body.GetProperty("resource").GetString());
        Assert.Equal(first.GetProperty("payment_hash").GetString(), body.GetProperty("payment_hash").GetString());
        Assert.Equal("cached", second.GetProperty("credential").GetString());
        Assert.Equal(0, second.GetProperty("paid_sats").GetInt64());
        Assert.Equal(200, second.GetProperty("status").GetInt32());
        Assert.Equal(first.GetProperty("payment_hash").GetString(), second.GetProperty("payment_hash").GetString());
        Assert.False(first.TryGetProperty("preimage", out _));
        Assert.Equal((1, 2, 0), await StatsAsync(resource));
        Assert.Equal(1, await OutgoingPaymentsAsync(payer));
        var balance = await app.Sandbox.BalanceMsatAsync(payer);
        Assert.InRange(balance, 10_000_000 - 10_000 - first.GetProperty("fee_msat").GetInt64(), 10_000_000 - 10_000);
    }

    [Theory]
    [InlineData("macaroon")]
    [InlineData("token")]
    [InlineData("lsat")]
    [InlineData("aperture")]
    public async Task EveryChallengeFormIsAnswered(string form)
    {
        var (client, _) = await PayerAsync();
        await using var connection = client;
        var resource = Resource();

        var paid = await client.CallOkAsync("pay_l402", new { url = UrlOf(resource, $"?challenge={form}&format=text"), max_sats = 10 });

        Assert.Equal(200, paid.GetProperty("status").GetInt32());
        Assert.Equal("text/plain", paid.GetProperty("content_type").GetString());
        Assert.Contains(paid.GetProperty("payment_hash").GetString()!, paid.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal((1, 1, 0), await StatsAsync(resource));
    }

    [Fact]
    public async Task TwentyConcurrentFetchesOfOneResourcePayOnce()
    {
        var (client, payer) = await PayerAsync();
        await using var connection = client;
        var resource = Resource();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.CallOkAsync("pay_l402", new { url = UrlOf(resource), max_sats = 10 })));

        Assert.All(results, result => Assert.Equal(200, result.GetProperty("status").GetInt32()));
        Assert.Single(results, result => result.GetProperty("credential").GetString() == "paid");
        Assert.Equal(19, results.Count(result => result.GetProperty("credential").GetString() == "cached"));
        Assert.Equal((1, 20, 0), await StatsAsync(resource));
        Assert.Equal(1, await OutgoingPaymentsAsync(payer));
    }

    [Fact]
    public async Task APriceAboveMaxSatsOrMaxSatsAboveTheOperatorsCapIsRefusedBeforePaying()
    {
        var (client, payer) = await PayerAsync();
        await using var connection = client;
        var resource = Resource();

        var tooLow = await client.CallErrorAsync("pay_l402", "limit_exceeded", new { url = UrlOf(resource), max_sats = 9 });
        var overCap = await client.CallErrorAsync("pay_l402", "limit_exceeded", new { url = UrlOf(resource), max_sats = 1_001 });

        Assert.Equal("max_sats", tooLow.GetProperty("limit").GetString());
        Assert.Equal(10, tooLow.GetProperty("requested_sats").GetInt64());
        Assert.Equal("max_l402_sats", overCap.GetProperty("limit").GetString());
        Assert.Equal(1_000, overCap.GetProperty("max_l402_sats").GetInt64());
        Assert.Equal((1, 0, 0), await StatsAsync(resource)); // the over-cap call sent nothing
        Assert.Equal(0, await OutgoingPaymentsAsync(payer));
    }

    [Theory]
    [InlineData("wrong_network", "invalid_invoice", "this wallet pays on regtest")]
    [InlineData("amountless", "amountless_invoice", "no amount")]
    [InlineData("expired", "invoice_expired", "expired")]
    public async Task AChallengeWhoseInvoiceMustNotBePaidIsRefused(string invoiceMode, string code, string reason)
    {
        var (client, payer) = await PayerAsync();
        await using var connection = client;
        var resource = Resource();

        var refused = await client.CallErrorAsync("pay_l402", code, new { url = UrlOf(resource, $"?invoice={invoiceMode}"), max_sats = 100 });

        Assert.Contains(reason, refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("Nothing was paid", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await OutgoingPaymentsAsync(payer));
    }

    [Fact]
    public async Task AServerThatRefusesThePaidPreimageGetsNoSecondRequestNorPaymentAndTheErrorSaysWhatWasPaid()
    {
        var (client, payer) = await PayerAsync();
        await using var connection = client;
        var resource = Resource();

        var refused = await client.CallErrorAsync("pay_l402", "l402_error", new { url = UrlOf(resource, "?liar=preimage"), max_sats = 10 });

        Assert.Contains("refused the credential it was paid for", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(10, refused.GetProperty("paid_sats").GetInt64());
        Assert.Equal(401, refused.GetProperty("status").GetInt32());
        Assert.Equal((2, 0, 1), await StatsAsync(resource)); // the first 402, and the 401 that answered the one credential sent
        Assert.Equal(1, await OutgoingPaymentsAsync(payer));
    }

    [Fact]
    public async Task ATokenThatCommitsToAnotherInvoiceIsRefusedBeforePaying()
    {
        var (client, payer) = await PayerAsync();
        await using var connection = client;

        var refused = await client.CallErrorAsync("pay_l402", "l402_error", new { url = UrlOf(Resource(), "?liar=other_invoice"), max_sats = 10 });

        Assert.Contains("commits to another payment hash", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await OutgoingPaymentsAsync(payer));
    }

    [Fact]
    public async Task ARedirectToTheCloudMetadataAddressIsRefusedWithNothingSentOrPaid()
    {
        var (client, payer) = await PayerAsync();
        await using var connection = client;
        var redirect = Uri.EscapeDataString("http://169.254.169.254/latest/meta-data/");

        var refused = await client.CallErrorAsync("pay_l402", "forbidden_destination", new { url = UrlOf(Resource(), $"?redirect={redirect}"), max_sats = 10 });

        Assert.Contains("169.254.169.254", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await OutgoingPaymentsAsync(payer));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254")]
    [InlineData("http://[::ffff:169.254.169.254]/latest/", "169.254.169.254")]
    [InlineData("http://0.0.0.0/anything", "0.0.0.0")]
    [InlineData("http://[fe80::1]/", "fe80::1")]
    public async Task AUrlTheSsrfGuardRefusesIsNeverRequested(string url, string named)
    {
        var (client, payer) = await PayerAsync();
        await using var connection = client;

        var refused = await client.CallErrorAsync("pay_l402", "forbidden_destination", new { url, max_sats = 10 });

        Assert.Contains(named, refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await OutgoingPaymentsAsync(payer));
    }

    [Fact]
    public async Task ADryRunSaysWhatAccessWouldCostAndPaysNothing()
    {
        var (client, payer) = await PayerAsync();
        await using var connection = client;
        var resource = Resource();

        var dryRun = await client.CallOkAsync("pay_l402", new { url = UrlOf(resource), max_sats = 10, dry_run = true });

        Assert.True(dryRun.GetProperty("dry_run").GetBoolean());
        Assert.Equal(10, dryRun.GetProperty("price_sats").GetInt64());
        Assert.Equal(0, dryRun.GetProperty("paid_sats").GetInt64());
        Assert.Equal(402, dryRun.GetProperty("status").GetInt32());
        Assert.Equal("dry_run", dryRun.GetProperty("payment").GetProperty("status").GetString());
        Assert.Equal(10_000, dryRun.GetProperty("payment").GetProperty("balance_sat").GetInt64());
        Assert.False(dryRun.GetProperty("payment").GetProperty("requires_confirmation").GetBoolean());
        Assert.Equal(0, await OutgoingPaymentsAsync(payer));
        Assert.Equal((1, 0, 0), await StatsAsync(resource));
    }

    [Fact]
    public async Task APostCarriesItsBodyAndContentTypeAndOnlyAllowedHeadersAreAccepted()
    {
        var (client, _) = await PayerAsync();
        await using var connection = client;
        var resource = Resource();

        var posted = await client.CallOkAsync("pay_l402", new
        {
            url = UrlOf(resource), method = "POST", max_sats = 10, body = "{\"question\":42}",
            headers = new Dictionary<string, string> { ["Content-Type"] = "application/json", ["Accept"] = "application/json" },
        });
        var badHeader = await client.CallErrorAsync("pay_l402", "invalid_argument", new { url = UrlOf(resource), max_sats = 10, headers = new Dictionary<string, string> { ["Authorization"] = "L402 x:y" } });
        var bodyOnGet = await client.CallErrorAsync("pay_l402", "invalid_argument", new { url = UrlOf(resource), max_sats = 10, body = "x" });
        var badMethod = await client.CallErrorAsync("pay_l402", "invalid_argument", new { url = UrlOf(resource), max_sats = 10, method = "DELETE" });
        var badScheme = await client.CallErrorAsync("pay_l402", "invalid_argument", new { url = "file:///etc/passwd", max_sats = 10 });

        var body = JsonDocument.Parse(posted.GetProperty("body").GetString()!).RootElement;
        Assert.Equal("POST", body.GetProperty("method").GetString());
        Assert.Equal(15, body.GetProperty("received_bytes").GetInt64());
        Assert.StartsWith("application/json", body.GetProperty("received_content_type").GetString(), StringComparison.Ordinal);
        Assert.Contains("only set Accept and Content-Type", badHeader.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("POST", bodyOnGet.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("GET or POST", badMethod.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("http or https", badScheme.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABodyOver64KilobytesIsCutAndItsSizeGiven()
    {
        var (client, _) = await PayerAsync();
        await using var connection = client;

        var large = await client.CallOkAsync("pay_l402", new { url = UrlOf(Resource(), "?size=100000"), max_sats = 10 });

        Assert.True(large.GetProperty("body_truncated").GetBoolean());
        Assert.Equal(100_000, large.GetProperty("body_bytes").GetInt64());
        Assert.Equal(64 * 1024, large.GetProperty("body").GetString()!.Length);
    }

    [Fact]
    public async Task AResourceThatAsksNoPaymentIsFetchedWithoutPaying()
    {
        var (client, payer) = await PayerAsync();
        await using var connection = client;

        var free = await client.CallOkAsync("pay_l402", new { url = new Uri(app.Sandbox.Url, "/api/v1/health").AbsoluteUri, max_sats = 10 });

        Assert.Equal(200, free.GetProperty("status").GetInt32());
        Assert.Equal("none", free.GetProperty("credential").GetString());
        Assert.Contains("server_time", free.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await OutgoingPaymentsAsync(payer));
    }

    [Fact]
    public async Task AboveTheConfirmationThresholdThePersonApprovesAndTheRepeatPaysTheSameInvoiceOnce()
    {
        var (client, payer) = await PayerAsync();
        await using var connection = client;
        var resource = Resource();
        await client.CallOkAsync("set_payment_limits", new { confirm_above_sats = 5 });

        var required = await client.CallErrorAsync("pay_l402", "confirmation_required", new { url = UrlOf(resource), max_sats = 10 });
        var approvalId = required.GetProperty("approval_id").GetString()!;
        using var browser = new HttpClient();
        var page = await browser.GetStringAsync(ApprovalPages.Url(required));
        var waiting = await client.CallErrorAsync("pay_l402", "confirmation_required", new { url = UrlOf(resource), max_sats = 10, approval_id = approvalId });
        await ApprovalPages.DecideOkAsync(ApprovalPages.Url(required));
        var paid = await client.CallOkAsync("pay_l402", new { url = UrlOf(resource), max_sats = 10, approval_id = approvalId });

        Assert.Equal(approvalId, waiting.GetProperty("approval_id").GetString());
        Assert.StartsWith($"L402 access to GET {UrlOf(resource)}, node ", required.GetProperty("payee").GetString(), StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode($"GET {UrlOf(resource)}"), page, StringComparison.Ordinal); // the person sees what the payment unlocks
        Assert.Equal("paid", paid.GetProperty("credential").GetString());
        Assert.Equal(200, paid.GetProperty("status").GetInt32());
        Assert.Equal(1, await OutgoingPaymentsAsync(payer));
        Assert.Equal((1, 1, 0), await StatsAsync(resource)); // the approved invoice was the first challenge's
    }

    [Fact]
    public async Task AnApprovalForOneResourceNeverPaysAnother()
    {
        var (client, payer) = await PayerAsync();
        await using var connection = client;
        var (first, second) = (Resource(), Resource());
        await client.CallOkAsync("set_payment_limits", new { confirm_above_sats = 5 });

        var forFirst = await client.CallErrorAsync("pay_l402", "confirmation_required", new { url = UrlOf(first), max_sats = 10 });
        await ApprovalPages.DecideOkAsync(ApprovalPages.Url(forFirst));
        var forSecond = await client.CallRawAsync("pay_l402", new { url = UrlOf(second), max_sats = 10, approval_id = forFirst.GetProperty("approval_id").GetString() });

        Assert.True(forSecond.IsError == true, ToolCalls.Text(forSecond));
        Assert.Equal((1, 0, 0), await StatsAsync(second)); // the second resource's own challenge was asked for
        Assert.Equal(0, await OutgoingPaymentsAsync(payer));
    }

    [Fact]
    public async Task ACredentialTheOriginNoLongerTakesIsReplacedByPayingTheNewChallenge()
    {
        var (client, payer) = await PayerAsync();
        await using var connection = client;
        var (first, second) = (Resource(), Resource());

        await client.CallOkAsync("pay_l402", new { url = UrlOf(first), max_sats = 10 });
        var other = await client.CallOkAsync("pay_l402", new { url = UrlOf(second), max_sats = 10 }); // the first's token is not valid here

        Assert.Equal("paid", other.GetProperty("credential").GetString());
        Assert.Equal(200, other.GetProperty("status").GetInt32());
        Assert.Equal((1, 1, 1), await StatsAsync(second)); // the 401 that refused the first's credential carried the challenge paid
        Assert.Equal(2, await OutgoingPaymentsAsync(payer));
    }

    [Fact]
    public async Task APaymentStillPendingIsNeverPaidAgainAndTheNextCallCompletesTheCredential()
    {
        var (client, payer) = await PayerAsync();
        await using var connection = client;
        var resource = Resource();
        await app.Sandbox.SetAsync(new { pay_mode = "pending", settle_after_ms = 7_000 });

        var pending = await client.CallErrorAsync("pay_l402", "l402_error", new { url = UrlOf(resource), max_sats = 10 }); // polls 5 s
        var stillPending = await client.CallErrorAsync("pay_l402", "l402_error", new { url = UrlOf(resource), max_sats = 10 });
        await Task.Delay(TimeSpan.FromSeconds(3));
        var completed = await client.CallOkAsync("pay_l402", new { url = UrlOf(resource), max_sats = 10 });

        Assert.Contains("still pending", pending.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(pending.GetProperty("payment_hash").GetString(), stillPending.GetProperty("payment_hash").GetString());
        Assert.Equal(200, completed.GetProperty("status").GetInt32());
        Assert.Equal(pending.GetProperty("payment_hash").GetString(), completed.GetProperty("payment_hash").GetString());
        Assert.Equal(1, await OutgoingPaymentsAsync(payer));
        Assert.Equal((1, 1, 0), await StatsAsync(resource));
    }

    [Fact]
    public async Task AReadOnlySessionCannotPayForAResource()
    {
        var wallet = await app.Sandbox.CreateWalletAsync("l402-ro-" + Guid.NewGuid().ToString("N")[..8], 1_000);
        await using var client = await app.ConnectAsync(wallet.InvoiceKey);

        await client.CallErrorAsync("pay_l402", "read_only_session", new { url = UrlOf(Resource()), max_sats = 10 });

        Assert.Equal(1_000_000, await app.Sandbox.BalanceMsatAsync(wallet));
    }
}
