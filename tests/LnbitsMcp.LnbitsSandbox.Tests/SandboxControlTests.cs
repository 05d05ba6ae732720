using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests;

/// <summary>CONTRACT §7: the sandbox-only endpoints.</summary>
public sealed class SandboxControlTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private SandboxClient Client => sandbox.Client;

    public async ValueTask InitializeAsync() => await Client.ResetSettingsAsync().WaitAsync(TestTimeout);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task CreateWalletAnswersIdKeysNameAndLightningAddress()
    {
        var response = await Client.PostAsync("/sandbox/wallets", new JsonObject { ["name"] = "control", ["balance_sat"] = 7 })
            .WaitAsync(TestTimeout);

        Assert.Equal(201, response.Code);
        Assert.Equal(["id", "name", "adminkey", "inkey", "user", "lightning_address"], response.Object.Select(p => p.Key));
        Assert.Equal($"control@{sandbox.BaseAddress.Authority}", response.Text("lightning_address"));
    }

    [Fact]
    public async Task WalletNamesThatCollideGetDistinctAddresses()
    {
        var first = await Client.CreateWalletAsync("twin", 0).WaitAsync(TestTimeout);
        var second = await Client.CreateWalletAsync("twin", 0).WaitAsync(TestTimeout);

        Assert.NotEqual(first.LightningAddress, second.LightningAddress);
    }

    [Fact]
    public async Task WalletForAnUnknownUserAnswers404AndDuplicateUsernamesAnswer400()
    {
        var unknown = await Client.PostAsync("/sandbox/wallets", new JsonObject { ["name"] = "orphan", ["user"] = "ghost" })
            .WaitAsync(TestTimeout);
        await Client.PostAsync("/sandbox/users", new JsonObject { ["username"] = "dup", ["password"] = "a" }).WaitAsync(TestTimeout);
        var duplicate = await Client.PostAsync("/sandbox/users", new JsonObject { ["username"] = "dup", ["password"] = "b" })
            .WaitAsync(TestTimeout);

        Assert.Equal(404, unknown.Code);
        Assert.Equal(400, duplicate.Code);
    }

    [Fact]
    public async Task SettingsArePartialUpdatesAndAreReturned()
    {
        var updated = await Client.SettingsAsync(new JsonObject { ["pay_mode"] = "pending", ["latency_ms"] = 0 }).WaitAsync(TestTimeout);
        var read = await Client.GetAsync("/sandbox/settings").WaitAsync(TestTimeout);

        Assert.Equal("pending", updated["pay_mode"]!.GetValue<string>());
        Assert.Equal("current", updated["lnurl_api"]!.GetValue<string>());
        Assert.Equal(updated.ToJsonString(), read.Body!.ToJsonString());
        foreach (var name in new[]
        {
            "pay_mode", "settle_after_ms", "fail_next", "lnurl_api", "lnurl_mode", "max_outgoing_sats", "token_lifetime_seconds",
            "latency_ms",
        })
        {
            Assert.True(read.Object.ContainsKey(name), name);
        }
    }

    [Fact]
    public async Task InvalidSettingsAnswer400WithAList()
    {
        var response = await Client.PostAsync("/sandbox/settings",
            new JsonObject { ["pay_mode"] = "sometimes", ["paymode"] = "instant" }).WaitAsync(TestTimeout);

        Assert.Equal(400, response.Code);
        var locations = response.Object["detail"]!.AsArray().Select(i => i!["loc"]![1]!.GetValue<string>());
        Assert.Equal(["paymode", "pay_mode"], locations);
    }

    [Fact]
    public async Task FiatAndL402SettingsAreValidatedAndNullClearsTheOptionalOnes()
    {
        var invalid = await Client.PostAsync("/sandbox/settings", new JsonObject
        {
            ["btc_prices"] = new JsonObject { ["USD"] = -1 },
            ["l402_challenge"] = "bearer",
            ["l402_liar"] = "always",
        }).WaitAsync(TestTimeout);
        var set = await Client.SettingsAsync(new JsonObject
        {
            ["btc_prices"] = new JsonObject { ["usd"] = 50_000 },
            ["accounting_currency"] = "USD",
            ["l402_redirect_url"] = "http://127.0.0.1:9/x",
        }).WaitAsync(TestTimeout);
        var cleared = await Client.SettingsAsync(new JsonObject { ["accounting_currency"] = null, ["l402_redirect_url"] = null }).WaitAsync(TestTimeout);
        var rate = await Client.GetAsync("/api/v1/rate/USD").WaitAsync(TestTimeout);
        await Client.ResetSettingsAsync().WaitAsync(TestTimeout);

        Assert.Equal(400, invalid.Code);
        Assert.Equal(["btc_prices", "l402_challenge", "l402_liar"], invalid.Object["detail"]!.AsArray().Select(i => i!["loc"]![1]!.GetValue<string>()));
        Assert.Equal("{\"USD\":50000}", set["btc_prices"]!.ToJsonString());
        Assert.Equal("USD", set["accounting_currency"]!.GetValue<string>());
        Assert.Null(cleared["accounting_currency"]);
        Assert.Null(cleared["l402_redirect_url"]);
        Assert.Equal(2_000.0, rate.Object["rate"]!.GetValue<double>());
    }

    [Fact]
    public async Task ExternalInvoiceWithoutAnAmountIsAmountlessAndHonoursExpiry()
    {
        var (bolt11, hash) = await Client.ExternalInvoiceAsync(null, expiry: 120).WaitAsync(TestTimeout);

        var invoice = IndependentBolt11.Parse(bolt11);

        Assert.Equal("lnbcrt", invoice.Hrp);
        Assert.Equal(hash, invoice.Hex('p'));
        Assert.Equal(120, invoice.Number('x'));
    }
}
