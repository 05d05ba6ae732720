using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Tools;

/// <summary>pay_lightning_address against the sandbox's LNURL-pay service (name@127.0.0.1:PORT).</summary>
public sealed class PayLightningAddressToolTests : IAsyncLifetime
{
    private Sandbox _sandbox = null!;
    private ServerHost _server = null!;
    private ServerHost _lnbitsFlowServer = null!;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await Sandbox.StartAsync();
        _server = await ServerHost.StartAsync();
        _lnbitsFlowServer = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Payments:LightningAddressFlow"] = "lnbits" });
    }

    public async ValueTask DisposeAsync()
    {
        await _lnbitsFlowServer.DisposeAsync();
        await _server.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private async Task<(McpClient Client, SandboxWallet Payer, SandboxWallet Payee)> SetUpAsync(ServerHost? server = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var payer = await _sandbox.CreateWalletAsync("payer" + suffix, 50_000);
        var payee = await _sandbox.CreateWalletAsync("payee" + suffix);
        var client = await (server ?? _server).ConnectAsync();
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = _sandbox.Url.AbsoluteUri, api_key = payer.AdminKey });
        return (client, payer, payee);
    }

    [Fact]
    public async Task PaysAnAddressAfterCheckingTheInvoiceAndShowsTheSuccessAction()
    {
        var (client, payer, payee) = await SetUpAsync();
        await using var connection = client;

        var paid = await client.CallOkAsync("pay_lightning_address", new { lightning_address = payee.LightningAddress, amount_sats = 21, comment = "thanks" });

        Assert.Equal("success", paid.GetProperty("status").GetString());
        Assert.Equal(21, paid.GetProperty("amount_sat").GetInt64());
        Assert.Equal(payee.LightningAddress, paid.GetProperty("payee").GetString());
        Assert.Equal("message", paid.GetProperty("success_action").GetProperty("tag").GetString());
        Assert.Equal(21_000, await _sandbox.BalanceMsatAsync(payee));
        Assert.Equal(50_000_000 - 21_000, await _sandbox.BalanceMsatAsync(payer));
    }

    [Fact]
    public async Task ThroughLnbitsOwnFlowTooAndFallsBackOnOlderLnbits()
    {
        var (client, _, payee) = await SetUpAsync(_lnbitsFlowServer);
        await using var connection = client;

        var viaLnbits = await client.CallOkAsync("pay_lightning_address", new { lightning_address = payee.LightningAddress, amount_sats = 5 });
        await _sandbox.SetAsync(new { lnurl_api = "absent" });
        try
        {
            var fallback = await client.CallOkAsync("pay_lightning_address", new { lightning_address = payee.LightningAddress, amount_sats = 7 });
            Assert.Equal("success", fallback.GetProperty("status").GetString());
        }
        finally
        {
            await _sandbox.ResetSettingsAsync();
        }

        Assert.Equal("success", viaLnbits.GetProperty("status").GetString());
        Assert.Equal(12_000, await _sandbox.BalanceMsatAsync(payee));
    }

    [Theory]
    [InlineData("wrong_amount", "lnurl_error", "amount")]
    [InlineData("wrong_hash", "lnurl_error", "description hash")]
    [InlineData("no_hash", "lnurl_error", "no description hash")]
    [InlineData("expired", "invoice_expired", "expired")]
    [InlineData("error", "lnurl_error", "")]
    public async Task AServiceThatMisbehavesIsNeverPaid(string mode, string code, string messagePart)
    {
        var (client, payer, payee) = await SetUpAsync();
        await using var connection = client;
        await _sandbox.SetAsync(new { lnurl_mode = mode });
        try
        {
            var error = await client.CallErrorAsync("pay_lightning_address", code, new { lightning_address = payee.LightningAddress, amount_sats = 10 });
            Assert.Contains(messagePart, error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await _sandbox.ResetSettingsAsync();
        }

        Assert.Equal(50_000_000, await _sandbox.BalanceMsatAsync(payer));
        Assert.Equal(0, await _sandbox.BalanceMsatAsync(payee));
    }

    [Fact]
    public async Task AmountsOutOfRangeAndLongCommentsAreRefused()
    {
        var (client, payer, payee) = await SetUpAsync();
        await using var connection = client;
        await _sandbox.SetAsync(new { lnurl_min_sendable = 10_000, lnurl_max_sendable = 100_000, lnurl_comment_allowed = 5 });
        try
        {
            await client.CallErrorAsync("pay_lightning_address", "lnurl_error", new { lightning_address = payee.LightningAddress, amount_sats = 9 });
            await client.CallErrorAsync("pay_lightning_address", "lnurl_error", new { lightning_address = payee.LightningAddress, amount_sats = 101 });
            await client.CallErrorAsync("pay_lightning_address", "lnurl_error", new { lightning_address = payee.LightningAddress, amount_sats = 50, comment = "too long" });
        }
        finally
        {
            await _sandbox.ResetSettingsAsync();
        }

        Assert.Equal(50_000_000, await _sandbox.BalanceMsatAsync(payer));
    }

    [Fact]
    public async Task UnknownUsersMalformedAddressesAndUnreachableHostsAreClearErrors()
    {
        var (client, _, _) = await SetUpAsync();
        await using var connection = client;
        var host = _sandbox.Url.Authority;

        await client.CallErrorAsync("pay_lightning_address", "lnurl_error", new { lightning_address = $"nobody-here@{host}", amount_sats = 1 });
        await client.CallErrorAsync("pay_lightning_address", "invalid_argument", new { lightning_address = "not an address", amount_sats = 1 });
        await client.CallErrorAsync("pay_lightning_address", "lnurl_error", new { lightning_address = "someone@127.0.0.1:1", amount_sats = 1 });
    }

    [Fact]
    public async Task ADryRunResolvesTheAddressButPaysNothing()
    {
        var (client, payer, payee) = await SetUpAsync();
        await using var connection = client;

        var dry = await client.CallOkAsync("pay_lightning_address", new { lightning_address = payee.LightningAddress, amount_sats = 33, dry_run = true });

        Assert.Equal("dry_run", dry.GetProperty("status").GetString());
        Assert.Equal(payee.LightningAddress, dry.GetProperty("payee").GetString());
        Assert.Equal(50_000_000, await _sandbox.BalanceMsatAsync(payer));
    }
}
