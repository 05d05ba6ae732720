using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Tools;

/// <summary>pay_lightning_address with an amount in a fiat currency (sandbox prices: USD 100 000, EUR 80 000 per BTC):
/// the wallet's LNbits converts, limits apply to the sats it gives, the result shows both.</summary>
public sealed class FiatLightningAddressToolTests(SandboxAndServer app) : IClassFixture<SandboxAndServer>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await app.Sandbox.ResetSettingsAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<(McpClient Client, SandboxWallet Payer, SandboxWallet Payee)> SetUpAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var payer = await app.Sandbox.CreateWalletAsync("fiat-payer" + suffix, 50_000);
        var payee = await app.Sandbox.CreateWalletAsync("fiat-payee" + suffix);
        return (await app.ConnectAsync(payer.AdminKey), payer, payee);
    }

    [Fact]
    public async Task DollarsAreConvertedByLnbitsAndTheResultShowsSatsMsatAndTheRate()
    {
        var (client, _, payee) = await SetUpAsync();
        await using var connection = client;

        var paid = await client.CallOkAsync("pay_lightning_address", new { lightning_address = payee.LightningAddress, amount = 0.021, currency = "usd" });

        Assert.Equal("success", paid.GetProperty("status").GetString());
        Assert.Equal(21, paid.GetProperty("amount_sat").GetInt64());
        Assert.Equal(21_000, paid.GetProperty("amount_msat").GetInt64());
        Assert.Equal("USD", paid.GetProperty("fiat_currency").GetString());
        Assert.Equal(0.021, paid.GetProperty("fiat_amount").GetDouble());
        Assert.Equal(1_000, paid.GetProperty("fiat_rate").GetDouble(), 6);
        Assert.Equal(21_000, await app.Sandbox.BalanceMsatAsync(payee));
    }

    [Fact]
    public async Task TheLimitsApplyToTheConvertedSatsAndADryRunShowsTheConversion()
    {
        var (client, payer, payee) = await SetUpAsync();
        await using var connection = client;

        var dryRun = await client.CallOkAsync("pay_lightning_address", new { lightning_address = payee.LightningAddress, amount = 1.2, currency = "EUR", dry_run = true });
        await client.CallOkAsync("set_payment_limits", new { max_payment_sats = 1_000 });
        var overLimit = await client.CallErrorAsync("pay_lightning_address", "limit_exceeded", new { lightning_address = payee.LightningAddress, amount = 1.2, currency = "EUR" });

        Assert.Equal("dry_run", dryRun.GetProperty("status").GetString());
        Assert.Equal(1_500, dryRun.GetProperty("amount_sat").GetInt64());
        Assert.Equal(1_500_000, dryRun.GetProperty("amount_msat").GetInt64());
        Assert.Equal("EUR", dryRun.GetProperty("fiat_currency").GetString());
        Assert.Equal(1_500, overLimit.GetProperty("requested_sats").GetInt64());
        Assert.Equal(50_000_000, await app.Sandbox.BalanceMsatAsync(payer));
    }

    [Fact]
    public async Task AnUnknownCurrencyOrAMixOfAmountsIsAnInvalidArgument()
    {
        var (client, payer, payee) = await SetUpAsync();
        await using var connection = client;

        var unknown = await client.CallErrorAsync("pay_lightning_address", "invalid_argument", new { lightning_address = payee.LightningAddress, amount = 1, currency = "XYZ" });
        var both = await client.CallErrorAsync("pay_lightning_address", "invalid_argument", new { lightning_address = payee.LightningAddress, amount_sats = 5, amount = 1, currency = "USD" });
        var none = await client.CallErrorAsync("pay_lightning_address", "invalid_argument", new { lightning_address = payee.LightningAddress });
        var fraction = await client.CallErrorAsync("pay_lightning_address", "invalid_argument", new { lightning_address = payee.LightningAddress, amount = 2.5 });
        var tiny = await client.CallErrorAsync("pay_lightning_address", "invalid_argument", new { lightning_address = payee.LightningAddress, amount = 0.0001, currency = "USD" });
        var whole = await client.CallOkAsync("pay_lightning_address", new { lightning_address = payee.LightningAddress, amount = 3, currency = "sat" });

        Assert.Contains("does not convert XYZ", unknown.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("not amount_sats", both.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("Give amount_sats", none.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("whole number of sats", fraction.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("less than 1 sat", tiny.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, whole.GetProperty("amount_sat").GetInt64());
        Assert.False(whole.TryGetProperty("fiat_currency", out _));
        Assert.Equal(50_000_000 - 3_000, await app.Sandbox.BalanceMsatAsync(payer));
    }
}
