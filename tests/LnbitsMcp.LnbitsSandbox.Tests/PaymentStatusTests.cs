using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests;

/// <summary>Checklist item 7: GET /api/v1/payments/{hash}, its shapes and its header-only key.</summary>
public sealed class PaymentStatusTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private SandboxClient Client => sandbox.Client;

    private async Task<(TestWallet Payer, TestWallet Payee, string Hash, string Preimage)> PaidInvoiceAsync(string name)
    {
        var payer = await Client.CreateWalletAsync(name + "-payer", 1_000).WaitAsync(TestTimeout);
        var payee = await Client.CreateWalletAsync(name + "-payee", 0).WaitAsync(TestTimeout);
        var invoice = await Client.CreateInvoiceAsync(payee, 10).WaitAsync(TestTimeout);
        var paid = await Client.PayAsync(payer, invoice["bolt11"]!.GetValue<string>()).WaitAsync(TestTimeout);
        return (payer, payee, invoice["payment_hash"]!.GetValue<string>(), paid.Text("preimage"));
    }

    [Fact]
    public async Task OwnersHeaderKeyGetsPaidPreimageAndDetails()
    {
        var (payer, _, hash, preimage) = await PaidInvoiceAsync("status-owner").WaitAsync(TestTimeout);

        var response = await Client.GetAsync($"/api/v1/payments/{hash}", payer.InKey).WaitAsync(TestTimeout);

        Assert.Equal(["paid", "preimage", "details"], response.Object.Select(p => p.Key));
        Assert.True(response.Object["paid"]!.GetValue<bool>());
        Assert.Equal(preimage, response.Text("preimage"));
        Assert.Equal(-10_000, response.Object["details"]!["amount"]!.GetValue<long>());
        Assert.Equal("internal_" + hash, response.Object["details"]!["checking_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task WithoutAKeyAnyPaymentAnswersWithoutDetails()
    {
        var (_, _, hash, preimage) = await PaidInvoiceAsync("status-public").WaitAsync(TestTimeout);

        var response = await Client.GetAsync($"/api/v1/payments/{hash}").WaitAsync(TestTimeout);

        Assert.Equal(new JsonObject { ["paid"] = true, ["preimage"] = preimage }.ToJsonString(), response.Body!.ToJsonString());
    }

    [Fact]
    public async Task QueryApiKeyIsNotReadSoItCountsAsNoKey()
    {
        var (payer, _, hash, _) = await PaidInvoiceAsync("status-query").WaitAsync(TestTimeout);

        var response = await Client.GetAsync($"/api/v1/payments/{hash}?api-key={payer.InKey}").WaitAsync(TestTimeout);

        Assert.Equal(200, response.Code);
        Assert.Null(response.Object["details"]);
    }

    [Fact]
    public async Task AnotherWalletsKeyDoesNotFindThePayment()
    {
        var (_, _, hash, _) = await PaidInvoiceAsync("status-other").WaitAsync(TestTimeout);
        var stranger = await Client.CreateWalletAsync("stranger", 0).WaitAsync(TestTimeout);

        var response = await Client.GetAsync($"/api/v1/payments/{hash}", stranger.InKey).WaitAsync(TestTimeout);

        Assert.Equal(404, response.Code);
        Assert.Equal("Payment does not exist.", response.Detail);
    }

    [Fact]
    public async Task PayeeKeySeesItsIncomingRow()
    {
        var (_, payee, hash, _) = await PaidInvoiceAsync("status-payee").WaitAsync(TestTimeout);

        var response = await Client.GetAsync($"/api/v1/payments/{hash}", payee.InKey).WaitAsync(TestTimeout);

        Assert.Equal(10_000, response.Object["details"]!["amount"]!.GetValue<long>());
    }

    [Fact]
    public async Task UnknownHashAnswers404PaymentDoesNotExist()
    {
        var response = await Client.GetAsync($"/api/v1/payments/{new string('a', 64)}").WaitAsync(TestTimeout);

        Assert.Equal(404, response.Code);
        Assert.Equal("Payment does not exist.", response.Detail);
    }

    [Fact]
    public async Task PendingInvoiceAnswersPaidFalseWithStatusForItsOwner()
    {
        var wallet = await Client.CreateWalletAsync("status-pending", 0).WaitAsync(TestTimeout);
        var invoice = await Client.CreateInvoiceAsync(wallet, 5).WaitAsync(TestTimeout);
        var hash = invoice["payment_hash"]!.GetValue<string>();

        var owner = await Client.GetAsync($"/api/v1/payments/{hash}", wallet.InKey).WaitAsync(TestTimeout);
        var anonymous = await Client.GetAsync($"/api/v1/payments/{hash}").WaitAsync(TestTimeout);

        Assert.Equal(["paid", "status", "preimage", "details"], owner.Object.Select(p => p.Key));
        Assert.False(owner.Object["paid"]!.GetValue<bool>());
        Assert.Equal("pending", owner.Text("status"));
        Assert.Equal(["paid", "preimage"], anonymous.Object.Select(p => p.Key));
    }
}
