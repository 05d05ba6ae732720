using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests;

/// <summary>LNbits' exchange-rate routes and fiat invoices (lnbits/core/views/api.py, utils/exchange_rates.py,
/// services/payments.py calculate_fiat_amounts) with the sandbox's default prices: USD 100 000, EUR 80 000,
/// CHF 90 000 per BTC.</summary>
public sealed class FiatTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private SandboxClient Client => sandbox.Client;

    public async ValueTask InitializeAsync() => await Client.ResetSettingsAsync().WaitAsync(TestTimeout);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<ApiResponse> CreateFiatInvoiceAsync(TestWallet wallet, JsonNode amount, string unit) =>
        await Client.PostAsync("/api/v1/payments", new JsonObject { ["out"] = false, ["amount"] = amount, ["unit"] = unit, ["memo"] = "fiat" }, wallet.InKey)
            .WaitAsync(TestTimeout);

    [Fact]
    public async Task CurrenciesListEveryCodeLnbitsKnowsUnlessNarrowedByAllowedCurrencies()
    {
        var all = await Client.GetAsync("/api/v1/currencies").WaitAsync(TestTimeout);
        await Client.SettingsAsync(new JsonObject { ["allowed_currencies"] = new JsonArray("USD", "EUR", "XYZ") }).WaitAsync(TestTimeout);
        var narrowed = await Client.GetAsync("/api/v1/currencies").WaitAsync(TestTimeout);

        Assert.Equal(200, all.Code);
        var codes = all.Array.Select(c => c!.GetValue<string>()).ToList();
        Assert.Equal(165, codes.Count);
        Assert.Equal("AED", codes[0]);
        Assert.Equal("ZWL", codes[^1]);
        Assert.Contains("USD", codes);
        Assert.Equal(["EUR", "USD"], narrowed.Array.Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public async Task RateIsSatsPerUnitAndPriceIsOneBtcInThatCurrency()
    {
        var usd = await Client.GetAsync("/api/v1/rate/USD").WaitAsync(TestTimeout);
        var lower = await Client.GetAsync("/api/v1/rate/usd").WaitAsync(TestTimeout);
        var unknown = await Client.GetAsync("/api/v1/rate/XYZ").WaitAsync(TestTimeout);
        var noPrice = await Client.GetAsync("/api/v1/rate/XAU").WaitAsync(TestTimeout);

        Assert.Equal(200, usd.Code);
        Assert.Equal(1000.0, usd.Object["rate"]!.GetValue<double>());
        Assert.Equal(100_000.0, usd.Object["price"]!.GetValue<double>());
        Assert.Equal(usd.Body!.ToJsonString(), lower.Body!.ToJsonString());
        Assert.Equal(400, unknown.Code);
        Assert.Equal("Currency 'XYZ' not allowed.", unknown.Detail);
        Assert.Equal(200, noPrice.Code);
        Assert.Equal(0.0, noPrice.Object["rate"]!.GetValue<double>());
        Assert.Equal(0.0, noPrice.Object["price"]!.GetValue<double>());
    }

    [Fact]
    public async Task ConversionGoesBothWaysWithTheLiteralFromUnderscoreField()
    {
        var fromSats = await Client.PostAsync("/api/v1/conversion", new JsonObject { ["from_"] = "sat", ["amount"] = 2500, ["to"] = "usd, eur" }).WaitAsync(TestTimeout);
        var fromFiat = await Client.PostAsync("/api/v1/conversion", new JsonObject { ["from_"] = "USD", ["amount"] = 2.5 }).WaitAsync(TestTimeout);
        var plainFrom = await Client.PostAsync("/api/v1/conversion", new JsonObject { ["from"] = "usd", ["amount"] = 3000 }).WaitAsync(TestTimeout);
        var unknown = await Client.PostAsync("/api/v1/conversion", new JsonObject { ["from_"] = "XYZ", ["amount"] = 1 }).WaitAsync(TestTimeout);
        var noRate = await Client.PostAsync("/api/v1/conversion", new JsonObject { ["from_"] = "XAU", ["amount"] = 1 }).WaitAsync(TestTimeout);
        var missing = await Client.PostAsync("/api/v1/conversion", new JsonObject { ["from_"] = "USD" }).WaitAsync(TestTimeout);

        Assert.Equal(["BTC", "sats", "USD", "EUR"], fromSats.Object.Select(p => p.Key));
        Assert.Equal(0.000025, fromSats.Object["BTC"]!.GetValue<double>());
        Assert.Equal(2500, fromSats.Long("sats"));
        Assert.Equal(2.5, fromSats.Object["USD"]!.GetValue<double>());
        Assert.Equal(2.0, fromSats.Object["EUR"]!.GetValue<double>());
        Assert.Equal(["USD", "sats", "BTC"], fromFiat.Object.Select(p => p.Key));
        Assert.Equal(2500, fromFiat.Long("sats"));
        Assert.Equal(0.000025, fromFiat.Object["BTC"]!.GetValue<double>());
        Assert.Equal(3000, plainFrom.Long("sats")); // "from" is not the field: from_ stays "sat", to stays "usd"
        Assert.Equal(3.0, plainFrom.Object["USD"]!.GetValue<double>());
        Assert.Equal((400, "Currency 'XYZ' not allowed."), (unknown.Code, unknown.Detail));
        Assert.Equal((400, "Could not get exchange rate for XAU."), (noRate.Code, noRate.Detail));
        Assert.Equal(400, missing.Code);
        Assert.Equal("[\"body\",\"amount\"]", missing.Object["detail"]!.AsArray().Single()!["loc"]!.ToJsonString());
    }

    [Fact]
    public async Task AFiatInvoiceIsConvertedAtTheRateTruncatedToWholeSatsWithTheConversionInExtra()
    {
        var wallet = await Client.CreateWalletAsync("fiat-chf", 0).WaitAsync(TestTimeout);

        var response = await CreateFiatInvoiceAsync(wallet, 1.5, "CHF");

        // rate = 10^8 / 90 000 = 1111.11… sats per CHF; int(1.5 × 1111.11…) = 1666
        Assert.Equal(201, response.Code);
        Assert.Equal(1_666_000, response.Long("amount"));
        var extra = response.Object["extra"]!.AsObject();
        Assert.Equal("CHF", extra["fiat_currency"]!.GetValue<string>());
        Assert.Equal(1.5, extra["fiat_amount"]!.GetValue<double>());
        Assert.Equal(1666 / 1.5, extra["fiat_rate"]!.GetValue<double>());
        Assert.Equal(1.5 / 1666 * 100_000_000, extra["btc_rate"]!.GetValue<double>());
        Assert.False(extra.ContainsKey("wallet_fiat_currency"));
        var decoded = await Client.PostAsync("/api/v1/payments/decode", new JsonObject { ["data"] = response.Text("bolt11") }).WaitAsync(TestTimeout);
        Assert.Equal(1_666_000, decoded.Long("amount_msat"));
    }

    [Fact]
    public async Task TheUnitIsCheckedCaseSensitivelyAgainstTheAllowedCurrencies()
    {
        var wallet = await Client.CreateWalletAsync("fiat-unit", 0).WaitAsync(TestTimeout);

        var lower = await CreateFiatInvoiceAsync(wallet, 2, "usd");
        var unknown = await CreateFiatInvoiceAsync(wallet, 2, "XYZ");
        await Client.SettingsAsync(new JsonObject { ["allowed_currencies"] = new JsonArray("EUR") }).WaitAsync(TestTimeout);
        var notAllowed = await CreateFiatInvoiceAsync(wallet, 2, "USD");

        foreach (var refused in new[] { lower, unknown, notAllowed })
        {
            Assert.Equal(400, refused.Code);
            var issue = refused.Object["detail"]!.AsArray().Single()!;
            Assert.Equal("[\"body\",\"unit\"]", issue["loc"]!.ToJsonString());
            Assert.Equal("The provided unit is not supported", issue["msg"]!.GetValue<string>());
            Assert.Equal("value_error", issue["type"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task AnAmountBelowOneSatFailsAsLnbitsDividesByZeroAndACurrencyWithoutPriceHasNoRate()
    {
        var wallet = await Client.CreateWalletAsync("fiat-edges", 0).WaitAsync(TestTimeout);

        var tiny = await CreateFiatInvoiceAsync(wallet, 0.0005, "USD");
        var noPrice = await CreateFiatInvoiceAsync(wallet, 1, "XAU");
        await Client.SettingsAsync(new JsonObject { ["btc_prices"] = new JsonObject { ["USD"] = 0 } }).WaitAsync(TestTimeout);
        var providersDown = await CreateFiatInvoiceAsync(wallet, 1, "USD");

        Assert.Equal(500, tiny.Code);
        Assert.StartsWith("Unexpected error! ID: ", tiny.Detail, StringComparison.Ordinal);
        Assert.Equal((400, "Could not get exchange rate for XAU."), (noPrice.Code, noPrice.Detail));
        Assert.Equal((400, "Could not get exchange rate for USD."), (providersDown.Code, providersDown.Detail));
        Assert.Empty(await Client.PaymentsAsync(wallet, "?limit=100").WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task AnAccountingCurrencyAddsWalletFiatFieldsAndReplacesFiatFieldsForThatCurrency()
    {
        await Client.SettingsAsync(new JsonObject { ["accounting_currency"] = "EUR" }).WaitAsync(TestTimeout);
        var wallet = await Client.CreateWalletAsync("fiat-accounting", 10_000).WaitAsync(TestTimeout);

        var sats = (await CreateFiatInvoiceAsync(wallet, 2500, "sat")).Object["extra"]!.AsObject();
        var euros = (await CreateFiatInvoiceAsync(wallet, 2, "EUR")).Object["extra"]!.AsObject();
        var dollars = (await CreateFiatInvoiceAsync(wallet, 2, "USD")).Object["extra"]!.AsObject();
        var (bolt11, _) = await Client.ExternalInvoiceAsync(1000).WaitAsync(TestTimeout);
        var paid = (await Client.PayAsync(wallet, bolt11).WaitAsync(TestTimeout)).Object["extra"]!.AsObject();

        Assert.Equal("EUR", sats["wallet_fiat_currency"]!.GetValue<string>());
        Assert.Equal(2.0, sats["wallet_fiat_amount"]!.GetValue<double>());
        Assert.Equal(1250.0, sats["wallet_fiat_rate"]!.GetValue<double>());
        Assert.Equal(80_000.0, sats["wallet_btc_rate"]!.GetValue<double>());
        Assert.False(sats.ContainsKey("fiat_currency"));
        Assert.False(euros.ContainsKey("fiat_currency"));
        Assert.Equal(2.0, euros["wallet_fiat_amount"]!.GetValue<double>());
        Assert.Equal(1250.0, euros["wallet_fiat_rate"]!.GetValue<double>());
        Assert.Equal("USD", dollars["fiat_currency"]!.GetValue<string>());
        Assert.Equal(1000.0, dollars["fiat_rate"]!.GetValue<double>());
        Assert.Equal(1.6, dollars["wallet_fiat_amount"]!.GetValue<double>());
        Assert.Equal(0.8, paid["wallet_fiat_amount"]!.GetValue<double>());
    }

    [Fact]
    public async Task TheIncomingLimitIsCheckedAfterConversion()
    {
        await Client.SettingsAsync(new JsonObject { ["max_incoming_sats"] = 1000 }).WaitAsync(TestTimeout);
        var wallet = await Client.CreateWalletAsync("fiat-limit", 0).WaitAsync(TestTimeout);

        var response = await CreateFiatInvoiceAsync(wallet, 2, "USD");

        Assert.Equal(520, response.Code);
        Assert.Equal("Invoice amount 2000 sats is too high. Max allowed: 1000 sats.", response.Detail);
    }
}
