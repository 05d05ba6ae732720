using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests;

/// <summary>Checklist items 2 and 3: paying invoices of the outside node through the funding source.</summary>
public sealed class ExternalPaymentTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private SandboxClient Client => sandbox.Client;

    public async ValueTask InitializeAsync() => await Client.ResetSettingsAsync().WaitAsync(TestTimeout);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task ExternalInvoiceIsSignedByAnotherNode()
    {
        var (external, _) = await Client.ExternalInvoiceAsync(10).WaitAsync(TestTimeout);
        var wallet = await Client.CreateWalletAsync("node-compare", 0).WaitAsync(TestTimeout);
        var local = await Client.CreateInvoiceAsync(wallet, 10).WaitAsync(TestTimeout);

        Assert.NotEqual(
            IndependentBolt11.Parse(local["bolt11"]!.GetValue<string>()).SignerNodeId,
            IndependentBolt11.Parse(external).SignerNodeId);
    }

    [Fact]
    public async Task PayingAnExternalInvoiceSucceedsWithANegativeRoutingFeeAndThePreimage()
    {
        var wallet = await Client.CreateWalletAsync("external-payer", 200_000).WaitAsync(TestTimeout);
        var (bolt11, hash) = await Client.ExternalInvoiceAsync(100_000).WaitAsync(TestTimeout);

        var response = await Client.PayAsync(wallet, bolt11).WaitAsync(TestTimeout);

        Assert.Equal(201, response.Code);
        Assert.Equal("success", response.Text("status"));
        Assert.Equal(hash, response.Text("checking_id"));
        Assert.Equal(-100_000_000, response.Long("amount"));
        var fee = response.Long("fee");
        Assert.Equal(-(1_000 + 100_000), fee);
        Assert.True(-fee < 1_000_000, "routing fee stays under the 1 % reserve");
        Assert.Equal(hash, Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(response.Text("preimage")))));
        Assert.Equal(200_000_000 - 100_000_000 + fee, await Client.BalanceMsatAsync(wallet).WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task PayingWithoutRoomForTheFeeReserveAnswers520WithTheReserveMessage()
    {
        var wallet = await Client.CreateWalletAsync("reserve", 1_000).WaitAsync(TestTimeout);
        var (bolt11, _) = await Client.ExternalInvoiceAsync(999).WaitAsync(TestTimeout);
        var (small, _) = await Client.ExternalInvoiceAsync(999_000 / 1000 - 1).WaitAsync(TestTimeout);

        var response = await Client.PayAsync(wallet, bolt11).WaitAsync(TestTimeout);
        var minimum = await Client.PayAsync(wallet, small).WaitAsync(TestTimeout);

        Assert.Equal(520, response.Code);
        Assert.Equal("You must reserve at least (10  sat) to cover potential routing fees.", response.Detail);
        Assert.Equal("failed", response.Text("status"));
        Assert.Equal(520, minimum.Code);
    }

    [Fact]
    public async Task FeeReserveIsTwoSatsMinimumOrOnePercent()
    {
        var (small, _) = await Client.ExternalInvoiceAsync(10).WaitAsync(TestTimeout);
        var (large, _) = await Client.ExternalInvoiceAsync(1_000_000).WaitAsync(TestTimeout);
        var (amountless, _) = await Client.ExternalInvoiceAsync(null).WaitAsync(TestTimeout);

        var smallReserve = await Client.GetAsync($"/api/v1/payments/fee-reserve?invoice={small}").WaitAsync(TestTimeout);
        var largeReserve = await Client.GetAsync($"/api/v1/payments/fee-reserve?invoice={large}").WaitAsync(TestTimeout);
        var none = await Client.GetAsync($"/api/v1/payments/fee-reserve?invoice={amountless}").WaitAsync(TestTimeout);

        Assert.Equal(2_000, smallReserve.Long("fee_reserve"));
        Assert.Equal(10_000_000, largeReserve.Long("fee_reserve"));
        Assert.Equal(400, none.Code);
        Assert.Equal("Invoice has no amount.", none.Detail);
    }

    [Fact]
    public async Task PayingAnAmountlessInvoiceAnswers520()
    {
        var wallet = await Client.CreateWalletAsync("amountless-payer", 1_000).WaitAsync(TestTimeout);
        var (bolt11, _) = await Client.ExternalInvoiceAsync(null).WaitAsync(TestTimeout);

        var response = await Client.PostAsync("/api/v1/payments",
            new JsonObject { ["out"] = true, ["bolt11"] = bolt11, ["amount"] = 100 }, wallet.AdminKey).WaitAsync(TestTimeout);

        Assert.Equal(520, response.Code);
        Assert.Equal("Amountless invoices not supported.", response.Detail);
    }

    [Fact]
    public async Task PayingOverTheOutgoingMaximumAnswers520()
    {
        await Client.SettingsAsync(new JsonObject { ["max_outgoing_sats"] = 500 }).WaitAsync(TestTimeout);
        var wallet = await Client.CreateWalletAsync("capped", 10_000).WaitAsync(TestTimeout);
        var (bolt11, _) = await Client.ExternalInvoiceAsync(501).WaitAsync(TestTimeout);

        var response = await Client.PayAsync(wallet, bolt11).WaitAsync(TestTimeout);

        Assert.Equal(520, response.Code);
        Assert.Equal("Invoice amount 501 sats is too high. Max allowed: 500 sats.", response.Detail);
    }

    [Fact]
    public async Task UndecodableInvoiceAnswers520Bolt11DecodingFailed()
    {
        var wallet = await Client.CreateWalletAsync("garbage", 1_000).WaitAsync(TestTimeout);

        var response = await Client.PayAsync(wallet, "lnbcrt1nonsense").WaitAsync(TestTimeout);

        Assert.Equal(520, response.Code);
        Assert.Equal("Bolt11 decoding failed.", response.Detail);
    }

    [Fact]
    public async Task PayingTheSameExternalInvoiceAgainAnswersPaymentAlreadyPaid()
    {
        var wallet = await Client.CreateWalletAsync("double", 1_000).WaitAsync(TestTimeout);
        var other = await Client.CreateWalletAsync("double-other", 1_000).WaitAsync(TestTimeout);
        var (bolt11, _) = await Client.ExternalInvoiceAsync(10).WaitAsync(TestTimeout);

        await Client.PayAsync(wallet, bolt11).WaitAsync(TestTimeout);
        var again = await Client.PayAsync(wallet, bolt11).WaitAsync(TestTimeout);
        var fromOther = await Client.PayAsync(other, bolt11).WaitAsync(TestTimeout);

        Assert.Equal(520, again.Code);
        Assert.Equal("Payment already paid.", again.Detail);
        Assert.Equal("success", again.Text("status"));
        Assert.Equal("Payment already paid.", fromOther.Detail);
    }

    [Fact]
    public async Task TwentyConcurrentPaysOfOneExternalInvoicePayOnce()
    {
        var wallet = await Client.CreateWalletAsync("external-racer", 10_000).WaitAsync(TestTimeout);
        var (bolt11, _) = await Client.ExternalInvoiceAsync(1_000).WaitAsync(TestTimeout);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Client.PayAsync(wallet, bolt11))).WaitAsync(TestTimeout);

        var success = Assert.Single(results, r => r.Code == 201);
        Assert.All(results.Where(r => r.Code != 201), r => Assert.Equal("Payment already paid.", r.Detail));
        Assert.Equal(10_000_000 - 1_000_000 + success.Long("fee"), await Client.BalanceMsatAsync(wallet).WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task ExpiredInvoiceIsRefusedByTheBackend()
    {
        var wallet = await Client.CreateWalletAsync("late", 1_000).WaitAsync(TestTimeout);
        var (bolt11, hash) = await Client.ExternalInvoiceAsync(10, expiry: 1).WaitAsync(TestTimeout);

        await Task.Delay(TimeSpan.FromMilliseconds(2100)).WaitAsync(TestTimeout);
        var response = await Client.PayAsync(wallet, bolt11).WaitAsync(TestTimeout);
        var retry = await Client.PayAsync(wallet, bolt11).WaitAsync(TestTimeout);
        var status = await Client.GetAsync($"/api/v1/payments/{hash}", wallet.InKey).WaitAsync(TestTimeout);

        Assert.Equal(520, response.Code);
        Assert.Equal("Payment failed: invoice expired.", response.Detail);
        Assert.Equal("Payment is failed node, retrying is not possible.", retry.Detail);
        Assert.Equal("failed", status.Text("status"));
        Assert.Equal(1_000_000, await Client.BalanceMsatAsync(wallet).WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task FailModeAnswers520PaymentFailedAndKeepsTheFundsAndAFailedRow()
    {
        await Client.SettingsAsync(new JsonObject { ["pay_mode"] = "fail" }).WaitAsync(TestTimeout);
        var wallet = await Client.CreateWalletAsync("failing", 1_000).WaitAsync(TestTimeout);
        var (bolt11, hash) = await Client.ExternalInvoiceAsync(10).WaitAsync(TestTimeout);

        var response = await Client.PayAsync(wallet, bolt11).WaitAsync(TestTimeout);
        var list = await Client.PaymentsAsync(wallet).WaitAsync(TestTimeout);
        var page = await Client.GetAsync("/api/v1/payments/paginated", wallet.InKey).WaitAsync(TestTimeout);

        Assert.Equal(520, response.Code);
        Assert.StartsWith("Payment failed: ", response.Detail, StringComparison.Ordinal);
        Assert.Equal("failed", response.Text("status"));
        Assert.Equal(1_000_000, await Client.BalanceMsatAsync(wallet).WaitAsync(TestTimeout));
        Assert.DoesNotContain(list, p => p!["payment_hash"]!.GetValue<string>() == hash);
        Assert.Contains(page.Object["data"]!.AsArray(),
            p => p!["payment_hash"]!.GetValue<string>() == hash && p["status"]!.GetValue<string>() == "failed");
    }

    [Fact]
    public async Task PendingModeAnswers201PendingThenTheStatusFlipsToSuccess()
    {
        await Client.SettingsAsync(new JsonObject { ["pay_mode"] = "pending", ["settle_after_ms"] = 700 }).WaitAsync(TestTimeout);
        var wallet = await Client.CreateWalletAsync("slow", 1_000).WaitAsync(TestTimeout);
        var (bolt11, hash) = await Client.ExternalInvoiceAsync(100).WaitAsync(TestTimeout);

        var response = await Client.PayAsync(wallet, bolt11).WaitAsync(TestTimeout);
        var whilePending = await Client.GetAsync($"/api/v1/payments/{hash}", wallet.InKey).WaitAsync(TestTimeout);
        var repay = await Client.PayAsync(wallet, bolt11).WaitAsync(TestTimeout);
        var pendingBalance = await Client.BalanceMsatAsync(wallet).WaitAsync(TestTimeout);
        var settled = await Client.PollStatusAsync(wallet, hash, s => s["paid"]!.GetValue<bool>()).WaitAsync(TestTimeout);

        Assert.Equal(201, response.Code);
        Assert.Equal("pending", response.Text("status"));
        Assert.Equal(-2_000, response.Long("fee"));
        Assert.Null(response.Object["preimage"]);
        Assert.False(whilePending.Object["paid"]!.GetValue<bool>());
        Assert.Equal("pending", whilePending.Text("status"));
        Assert.Equal(520, repay.Code);
        Assert.Equal("Payment is still pending.", repay.Detail);
        Assert.Equal("pending", repay.Text("status"));
        Assert.Equal(1_000_000 - 100_000 - 2_000, pendingBalance);
        Assert.Equal("success", settled["details"]!["status"]!.GetValue<string>());
        Assert.Equal(-1_100, settled["details"]!["fee"]!.GetValue<long>());
        Assert.Equal(hash, Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(settled["preimage"]!.GetValue<string>()))));
        Assert.Equal(1_000_000 - 100_000 - 1_100, await Client.BalanceMsatAsync(wallet).WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task PendingModeCanEndFailedAndThenTheFundsReturn()
    {
        await Client.SettingsAsync(new JsonObject
        {
            ["pay_mode"] = "pending", ["settle_after_ms"] = 300, ["pending_outcome"] = "failed",
        }).WaitAsync(TestTimeout);
        var wallet = await Client.CreateWalletAsync("slow-fail", 1_000).WaitAsync(TestTimeout);
        var (bolt11, hash) = await Client.ExternalInvoiceAsync(100).WaitAsync(TestTimeout);

        var response = await Client.PayAsync(wallet, bolt11).WaitAsync(TestTimeout);
        var final = await Client.PollStatusAsync(wallet, hash, s => s["status"]?.GetValue<string>() == "failed").WaitAsync(TestTimeout);

        Assert.Equal(201, response.Code);
        Assert.False(final["paid"]!.GetValue<bool>());
        Assert.Equal(1_000_000, await Client.BalanceMsatAsync(wallet).WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task InvoiceForAnotherNetworkIsRefusedByTheBackend()
    {
        var wallet = await Client.CreateWalletAsync("mainnet", 300_000).WaitAsync(TestTimeout);

        var response = await Client.PayAsync(wallet, Bolt11Vectors.SpecCoffee).WaitAsync(TestTimeout);

        Assert.Equal(520, response.Code);
        Assert.StartsWith("Payment failed: ", response.Detail, StringComparison.Ordinal);
    }
}
