using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests;

/// <summary>Checklist item 2 (create side): POST /api/v1/payments with out:false, and the BOLT11 it returns.</summary>
public sealed class InvoiceTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private static readonly string[] PaymentFields =
    [
        "checking_id", "payment_hash", "wallet_id", "amount", "fee", "bolt11", "payment_request", "fiat_provider", "status",
        "memo", "expiry", "webhook", "webhook_status", "preimage", "tag", "extension", "time", "created_at", "updated_at",
        "labels", "extra",
    ];

    private SandboxClient Client => sandbox.Client;

    public async ValueTask InitializeAsync() => await Client.ResetSettingsAsync().WaitAsync(TestTimeout);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task CreatingAnInvoiceAnswers201WithAPendingPaymentInMsat()
    {
        var wallet = await Client.CreateWalletAsync("creator", 0).WaitAsync(TestTimeout);

        var payment = await Client.CreateInvoiceAsync(wallet, 100, "coffee").WaitAsync(TestTimeout);

        Assert.Equal(PaymentFields, payment.Select(p => p.Key));
        Assert.Equal(100_000, payment["amount"]!.GetValue<long>());
        Assert.Equal(0, payment["fee"]!.GetValue<long>());
        Assert.Equal("pending", payment["status"]!.GetValue<string>());
        Assert.Equal("coffee", payment["memo"]!.GetValue<string>());
        Assert.Equal(wallet.Id, payment["wallet_id"]!.GetValue<string>());
        Assert.Equal(payment["payment_hash"]!.GetValue<string>(), payment["checking_id"]!.GetValue<string>());
        Assert.Equal(payment["bolt11"]!.GetValue<string>(), payment["payment_request"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$", payment["time"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$", payment["expiry"]!.GetValue<string>());
        Assert.Empty(payment["labels"]!.AsArray());
        Assert.Empty(payment["extra"]!.AsObject());
    }

    [Fact]
    public async Task InvoiceIsARealRegtestBolt11SignedByTheSandboxNode()
    {
        var wallet = await Client.CreateWalletAsync("signer", 0).WaitAsync(TestTimeout);
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payment = await Client.CreateInvoiceAsync(wallet, 2500, "a real invoice", expiry: 600).WaitAsync(TestTimeout);
        var bolt11 = payment["bolt11"]!.GetValue<string>();

        var invoice = IndependentBolt11.Parse(bolt11);
        var decoded = await Client.PostAsync("/api/v1/payments/decode", new JsonObject { ["data"] = bolt11 }).WaitAsync(TestTimeout);

        Assert.StartsWith("lnbcrt25u1", bolt11, StringComparison.Ordinal);
        Assert.Equal("lnbcrt25u", invoice.Hrp);
        Assert.True(invoice.SignatureIsLowS);
        Assert.Equal(decoded.Text("payee"), invoice.SignerNodeId);
        Assert.InRange(invoice.Timestamp, before - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal(payment["payment_hash"]!.GetValue<string>(), invoice.Hex('p'));
        Assert.Equal(32, invoice.Bytes('s').Length);
        Assert.Equal("a real invoice", Encoding.UTF8.GetString(invoice.Bytes('d')));
        Assert.Equal(600, invoice.Number('x'));
        Assert.Equal(18, invoice.Number('c'));
        Assert.Equal((1L << 8) | (1L << 14), invoice.Number('9'));
        Assert.Equal(
            DateTimeOffset.FromUnixTimeSeconds(invoice.Timestamp + 600),
            DateTimeOffset.Parse(payment["expiry"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        var preimage = Convert.FromHexString(payment["preimage"]!.GetValue<string>());
        Assert.Equal(invoice.Hex('p'), Convert.ToHexStringLower(SHA256.HashData(preimage)));
    }

    [Fact]
    public async Task DescriptionHashGoesIntoTheHFieldAndTheMemoIsEmpty()
    {
        var wallet = await Client.CreateWalletAsync("hasher", 0).WaitAsync(TestTimeout);
        var hash = Convert.ToHexStringLower(SHA256.HashData("metadata"u8));

        var response = await Client.PostAsync("/api/v1/payments",
            new JsonObject { ["out"] = false, ["amount"] = 21, ["memo"] = "dropped", ["description_hash"] = hash }, wallet.InKey)
            .WaitAsync(TestTimeout);

        Assert.Equal(201, response.Code);
        Assert.Equal(string.Empty, response.Text("memo"));
        var invoice = IndependentBolt11.Parse(response.Text("bolt11"));
        Assert.Equal(hash, invoice.Hex('h'));
        Assert.False(invoice.Has('d'));
    }

    [Fact]
    public async Task MissingAmountAnswers520AmountlessInvoicesNotSupported()
    {
        var wallet = await Client.CreateWalletAsync("amountless", 0).WaitAsync(TestTimeout);

        var response = await Client.PostAsync("/api/v1/payments", new JsonObject { ["out"] = false, ["memo"] = "x" }, wallet.InKey)
            .WaitAsync(TestTimeout);

        Assert.Equal(520, response.Code);
        Assert.Equal("Amountless invoices not supported.", response.Detail);
        Assert.Equal("failed", response.Text("status"));
    }

    [Fact]
    public async Task AmountOverTheIncomingMaximumAnswers520()
    {
        var wallet = await Client.CreateWalletAsync("too-big", 0).WaitAsync(TestTimeout);

        var response = await Client.PostAsync("/api/v1/payments", new JsonObject { ["out"] = false, ["amount"] = 10_000_001 }, wallet.InKey)
            .WaitAsync(TestTimeout);

        Assert.Equal(520, response.Code);
        Assert.Equal("Invoice amount 10000001 sats is too high. Max allowed: 10000000 sats.", response.Detail);
    }

    [Fact]
    public async Task OutDefaultsToTrueSoAnAdminKeyWithoutBolt11Answers400()
    {
        var wallet = await Client.CreateWalletAsync("default-out", 0).WaitAsync(TestTimeout);

        var admin = await Client.PostAsync("/api/v1/payments", new JsonObject { ["amount"] = 10 }, wallet.AdminKey).WaitAsync(TestTimeout);
        var invoiceKey = await Client.PostAsync("/api/v1/payments", new JsonObject { ["amount"] = 10 }, wallet.InKey).WaitAsync(TestTimeout);

        Assert.Equal(400, admin.Code);
        Assert.Equal("Missing BOLT11 invoice", admin.Detail);
        Assert.Equal(403, invoiceKey.Code);
    }

    [Fact]
    public async Task FiatUnitIsConvertedToSatsAtTheSandboxRate()
    {
        var wallet = await Client.CreateWalletAsync("fiat", 0).WaitAsync(TestTimeout);

        var response = await Client.PostAsync("/api/v1/payments",
            new JsonObject { ["out"] = false, ["amount"] = 2.5, ["unit"] = "USD" }, wallet.InKey).WaitAsync(TestTimeout);
        var unsupported = await Client.PostAsync("/api/v1/payments",
            new JsonObject { ["out"] = false, ["amount"] = 1, ["unit"] = "XYZ" }, wallet.InKey).WaitAsync(TestTimeout);

        Assert.Equal(2_500_000, response.Long("amount"));
        Assert.Equal("USD", response.Object["extra"]!["fiat_currency"]!.GetValue<string>());
        Assert.Equal(400, unsupported.Code);
        Assert.Equal("The provided unit is not supported", unsupported.Object["detail"]![0]!["msg"]!.GetValue<string>());
    }
}
