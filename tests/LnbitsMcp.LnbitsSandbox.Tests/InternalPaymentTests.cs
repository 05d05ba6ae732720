using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests;

/// <summary>Checklist item 4: payments between two wallets of the same instance settle internally and atomically.</summary>
public sealed class InternalPaymentTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private SandboxClient Client => sandbox.Client;

    public async ValueTask InitializeAsync() => await Client.ResetSettingsAsync().WaitAsync(TestTimeout);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task TwoWalletsPayEachOtherAndBalancesAndListsAgreeInMsatWithLnbitsSigns()
    {
        var alice = await Client.CreateWalletAsync("alice", 10_000).WaitAsync(TestTimeout);
        var bob = await Client.CreateWalletAsync("bob", 5_000).WaitAsync(TestTimeout);

        var bobsInvoice = await Client.CreateInvoiceAsync(bob, 1_500, "from alice").WaitAsync(TestTimeout);
        var paid = await Client.PayAsync(alice, bobsInvoice["bolt11"]!.GetValue<string>()).WaitAsync(TestTimeout);
        var alicesInvoice = await Client.CreateInvoiceAsync(alice, 200, "from bob").WaitAsync(TestTimeout);
        var paidBack = await Client.PayAsync(bob, alicesInvoice["bolt11"]!.GetValue<string>()).WaitAsync(TestTimeout);

        Assert.Equal(201, paid.Code);
        Assert.Equal(201, paidBack.Code);
        var hash = bobsInvoice["payment_hash"]!.GetValue<string>();
        Assert.Equal("internal_" + hash, paid.Text("checking_id"));
        Assert.Equal("success", paid.Text("status"));
        Assert.Equal(-1_500_000, paid.Long("amount"));
        Assert.Equal(0, paid.Long("fee"));
        Assert.Equal("from alice", paid.Text("memo"));
        Assert.Equal(hash, Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(paid.Text("preimage")))));

        Assert.Equal(10_000_000 - 1_500_000 + 200_000, await Client.BalanceMsatAsync(alice).WaitAsync(TestTimeout));
        Assert.Equal(5_000_000 + 1_500_000 - 200_000, await Client.BalanceMsatAsync(bob).WaitAsync(TestTimeout));

        var aliceList = await Client.PaymentsAsync(alice).WaitAsync(TestTimeout);
        var bobList = await Client.PaymentsAsync(bob).WaitAsync(TestTimeout);
        Assert.Equal([200_000L, -1_500_000L, 10_000_000L], aliceList.Select(p => p!["amount"]!.GetValue<long>()));
        Assert.Equal([-200_000L, 1_500_000L, 5_000_000L], bobList.Select(p => p!["amount"]!.GetValue<long>()));
        Assert.All(aliceList.Concat(bobList), p => Assert.Equal("success", p!["status"]!.GetValue<string>()));

        var sharedHash = aliceList.Where(p => p!["payment_hash"]!.GetValue<string>() == hash)
            .Concat(bobList.Where(p => p!["payment_hash"]!.GetValue<string>() == hash)).ToList();
        Assert.Equal(2, sharedHash.Count);
        Assert.Equal(hash, bobList[1]!["checking_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task PayingAnInternalInvoiceTwiceAnswers520InternalInvoiceAlreadyPaid()
    {
        var payer = await Client.CreateWalletAsync("twice-payer", 1_000).WaitAsync(TestTimeout);
        var payee = await Client.CreateWalletAsync("twice-payee", 0).WaitAsync(TestTimeout);
        var invoice = await Client.CreateInvoiceAsync(payee, 10).WaitAsync(TestTimeout);

        await Client.PayAsync(payer, invoice["bolt11"]!.GetValue<string>()).WaitAsync(TestTimeout);
        var again = await Client.PayAsync(payer, invoice["bolt11"]!.GetValue<string>()).WaitAsync(TestTimeout);

        Assert.Equal(520, again.Code);
        Assert.Equal("Internal invoice already paid.", again.Detail);
        Assert.Equal("failed", again.Text("status"));
    }

    [Fact]
    public async Task TwentyConcurrentPaysOfOneInvoicePayExactlyOnce()
    {
        var payers = new List<TestWallet>();
        for (var i = 0; i < 4; i++)
        {
            payers.Add(await Client.CreateWalletAsync($"racer{i}", 1_000).WaitAsync(TestTimeout));
        }

        var payee = await Client.CreateWalletAsync("race-payee", 0).WaitAsync(TestTimeout);
        var bolt11 = (await Client.CreateInvoiceAsync(payee, 100).WaitAsync(TestTimeout))["bolt11"]!.GetValue<string>();

        var attempts = Enumerable.Range(0, 20).Select(i => Client.PayAsync(payers[i % payers.Count], bolt11));
        var results = await Task.WhenAll(attempts).WaitAsync(TestTimeout);

        Assert.Single(results, r => r.Code == 201);
        Assert.All(results.Where(r => r.Code != 201), r => Assert.Equal("Internal invoice already paid.", r.Detail));
        Assert.Equal(100_000, await Client.BalanceMsatAsync(payee).WaitAsync(TestTimeout));
        var total = 0L;
        foreach (var payer in payers)
        {
            total += await Client.BalanceMsatAsync(payer).WaitAsync(TestTimeout);
        }

        Assert.Equal(4_000_000 - 100_000, total);
    }

    [Fact]
    public async Task InsufficientBalanceAnswers520()
    {
        var payer = await Client.CreateWalletAsync("poor", 10).WaitAsync(TestTimeout);
        var payee = await Client.CreateWalletAsync("rich", 0).WaitAsync(TestTimeout);
        var invoice = await Client.CreateInvoiceAsync(payee, 11).WaitAsync(TestTimeout);

        var response = await Client.PayAsync(payer, invoice["bolt11"]!.GetValue<string>()).WaitAsync(TestTimeout);

        Assert.Equal(520, response.Code);
        Assert.Equal(new JsonObject { ["detail"] = "Insufficient balance.", ["status"] = "failed" }.ToJsonString(),
            response.Body!.ToJsonString());
        Assert.Equal(10_000, await Client.BalanceMsatAsync(payer).WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task OutsidePayerSettlesAnInvoiceOfASandboxWallet()
    {
        var payee = await Client.CreateWalletAsync("shop", 0).WaitAsync(TestTimeout);
        var invoice = await Client.CreateInvoiceAsync(payee, 42).WaitAsync(TestTimeout);
        var hash = invoice["payment_hash"]!.GetValue<string>();

        var settled = await Client.PostAsync($"/sandbox/invoices/{hash}/settle", null).WaitAsync(TestTimeout);
        var again = await Client.PostAsync($"/sandbox/invoices/{hash}/settle", null).WaitAsync(TestTimeout);
        var status = await Client.GetAsync($"/api/v1/payments/{hash}").WaitAsync(TestTimeout);

        Assert.Equal(200, settled.Code);
        Assert.Equal("success", settled.Text("status"));
        Assert.Equal(409, again.Code);
        Assert.Equal(42_000, await Client.BalanceMsatAsync(payee).WaitAsync(TestTimeout));
        Assert.True(status.Object["paid"]!.GetValue<bool>());
    }
}
