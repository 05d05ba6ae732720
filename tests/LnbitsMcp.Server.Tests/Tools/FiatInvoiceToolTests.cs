using LnbitsMcp.Server.Lightning;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.Tools;

/// <summary>create_invoice with a currency against the sandbox (default prices: USD 100 000, EUR 80 000, CHF 90 000
/// per BTC): LNbits converts, the result shows sats, the fiat amount and the rate; what LNbits cannot convert is refused.</summary>
public sealed class FiatInvoiceToolTests(SandboxAndServer app) : IClassFixture<SandboxAndServer>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await app.Sandbox.ResetSettingsAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<(ModelContextProtocol.Client.McpClient Client, SandboxWallet Wallet)> ReceiverAsync()
    {
        var wallet = await app.Sandbox.CreateWalletAsync("fiat-" + Guid.NewGuid().ToString("N")[..8]);
        return (await app.ConnectAsync(wallet.InvoiceKey), wallet);
    }

    [Fact]
    public async Task AnInvoiceInDollarsIsConvertedByLnbitsAndShowsSatsFiatAmountAndRate()
    {
        var (client, wallet) = await ReceiverAsync();
        await using var connection = client;

        var invoice = await client.CallOkAsync("create_invoice", new { amount = 2.5, currency = "usd", memo = "coffee in dollars" });

        Assert.Equal(2_500, invoice.GetProperty("amount_sat").GetInt64());
        Assert.Equal("USD", invoice.GetProperty("fiat_currency").GetString());
        Assert.Equal(2.5, invoice.GetProperty("fiat_amount").GetDouble());
        Assert.Equal(1_000, invoice.GetProperty("fiat_rate").GetDouble());
        Assert.Equal(100_000, invoice.GetProperty("btc_price").GetDouble());
        Assert.True(Bolt11Decoder.TryDecode(invoice.GetProperty("bolt11").GetString()!, out var decoded, out _));
        Assert.Equal(2_500_000, decoded!.AmountMsat);
        var stored = Assert.Single(await app.Sandbox.PaymentsAsync(wallet));
        Assert.Equal("USD", stored.GetProperty("extra").GetProperty("fiat_currency").GetString());
    }

    [Fact]
    public async Task SatsAreTruncatedAsLnbitsTruncatesAndTheRateShownIsTheOneLnbitsRecorded()
    {
        var (client, _) = await ReceiverAsync();
        await using var connection = client;

        var invoice = await client.CallOkAsync("create_invoice", new { amount = 1.5, currency = "CHF" });

        Assert.Equal(1_666, invoice.GetProperty("amount_sat").GetInt64()); // int(1.5 × 1111.11…)
        Assert.Equal(1_666 / 1.5, invoice.GetProperty("fiat_rate").GetDouble());
        Assert.Equal(1.5 / 1_666 * 100_000_000, invoice.GetProperty("btc_price").GetDouble());
    }

    [Fact]
    public async Task TheWalletsOwnCurrencyIsReadFromTheWalletFiatFields()
    {
        await app.Sandbox.SetAsync(new { accounting_currency = "EUR" });
        var (client, _) = await ReceiverAsync();
        await using var connection = client;

        var invoice = await client.CallOkAsync("create_invoice", new { amount = 2, currency = "EUR" });

        Assert.Equal(2_500, invoice.GetProperty("amount_sat").GetInt64());
        Assert.Equal("EUR", invoice.GetProperty("fiat_currency").GetString());
        Assert.Equal(1_250, invoice.GetProperty("fiat_rate").GetDouble());
        Assert.Equal(80_000, invoice.GetProperty("btc_price").GetDouble());
    }

    [Fact]
    public async Task AnUnknownCurrencyIsAnInvalidArgumentThatSaysWhatIsSupported()
    {
        var (client, wallet) = await ReceiverAsync();
        await using var connection = client;

        var unknown = await client.CallErrorAsync("create_invoice", "invalid_argument", new { amount = 5, currency = "XYZ" });
        var malformed = await client.CallErrorAsync("create_invoice", "invalid_argument", new { amount = 5, currency = "EURO" });

        Assert.Contains("does not convert XYZ", unknown.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("165 currencies, among them USD, EUR", unknown.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("3-letter ISO 4217 code", malformed.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(await app.Sandbox.PaymentsAsync(wallet));
    }

    [Fact]
    public async Task ACurrencyLnbitsStopsAcceptingIsStillAnInvalidArgumentFromItsOwnAnswer()
    {
        var (client, _) = await ReceiverAsync();
        await using var connection = client;
        await client.CallOkAsync("create_invoice", new { amount = 1, currency = "USD" }); // the currency list is cached now

        await app.Sandbox.SetAsync(new { allowed_currencies = new[] { "EUR" } });
        var refused = await client.CallErrorAsync("create_invoice", "invalid_argument", new { amount = 1, currency = "USD" });

        Assert.Contains("not allowed", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LessThanOneSatOrNoRateIsRefusedBeforeAnInvoiceIsCreated()
    {
        var (client, wallet) = await ReceiverAsync();
        await using var connection = client;

        var tiny = await client.CallErrorAsync("create_invoice", "invalid_argument", new { amount = 0.0004, currency = "USD" });
        await app.Sandbox.SetAsync(new { btc_prices = new { USD = 0 } });
        var noRate = await client.CallErrorAsync("create_invoice", "lnbits_error", new { amount = 1, currency = "USD" });

        Assert.Contains("less than 1 sat at LNbits' rate (1000 sats per USD)", tiny.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("no exchange rate for USD", noRate.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(await app.Sandbox.PaymentsAsync(wallet));
    }

    [Fact]
    public async Task WithoutACurrencyTheAmountIsWholeSatsAndTheResultHasNoFiatFields()
    {
        var (client, _) = await ReceiverAsync();
        await using var connection = client;

        var sats = await client.CallOkAsync("create_invoice", new { amount = 21 });
        var explicitSats = await client.CallOkAsync("create_invoice", new { amount = 22, currency = "sat" });
        var fraction = await client.CallErrorAsync("create_invoice", "invalid_argument", new { amount = 2.5 });
        var negative = await client.CallErrorAsync("create_invoice", "invalid_argument", new { amount = -3, currency = "USD" });

        Assert.Equal(21, sats.GetProperty("amount_sat").GetInt64());
        Assert.False(sats.TryGetProperty("fiat_currency", out _));
        Assert.Equal(22, explicitSats.GetProperty("amount_sat").GetInt64());
        Assert.Contains("whole number of sats", fraction.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("more than 0", negative.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
