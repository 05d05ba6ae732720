using System.Net.Http.Json;
using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Tools;

/// <summary>
/// Payee rules through the tools against the sandbox, on a server whose operator denies <c>*.denied.example</c> and
/// allows L402 payments only to the sandbox's origin; each session adds its own rules with set_payment_limits.
/// </summary>
public sealed class PayeeRuleToolTests : IAsyncLifetime
{
    private Sandbox _sandbox = null!;
    private ServerHost _server = null!;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await Sandbox.StartAsync();
        _server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Payments:Payees:Deny:0"] = "*.denied.example",
            ["Payments:Payees:Allow:0"] = _sandbox.Url.GetLeftPart(UriPartial.Authority),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private async Task<(McpClient Client, SandboxWallet Payer)> PayerAsync()
    {
        var payer = await _sandbox.CreateWalletAsync("rules-" + Guid.NewGuid().ToString("N")[..8], 10_000);
        var client = await _server.ConnectAsync();
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = _sandbox.Url.AbsoluteUri, api_key = payer.AdminKey });
        return (client, payer);
    }

    [Fact]
    public async Task AConnectionsDenyListRefusesANodeForInvoicesAndL402UntilItIsCleared()
    {
        var (client, payer) = await PayerAsync();
        await using var connection = client;
        var invoice = await _sandbox.ExternalInvoiceAsync(5);
        var node = (await client.CallOkAsync("decode_invoice", new { bolt11 = invoice.Bolt11 })).GetProperty("payee").GetString()!;

        var set = await client.CallOkAsync("set_payment_limits", new { deny_payees = new[] { node } });
        var refused = await client.CallErrorAsync("pay_invoice", "payee_not_allowed", new { bolt11 = invoice.Bolt11 });
        var l402 = await client.CallErrorAsync("pay_l402", "payee_not_allowed", new { url = new Uri(_sandbox.Url, "/sandbox/l402/rules").AbsoluteUri, max_sats = 10 });
        await client.CallOkAsync("set_payment_limits", new { deny_payees = Array.Empty<string>() });
        var paid = await client.CallOkAsync("pay_invoice", new { bolt11 = invoice.Bolt11 });

        Assert.Equal(node, set.GetProperty("deny_payees")[0].GetString());
        Assert.Equal("deny", refused.GetProperty("rule").GetString());
        Assert.Equal("connection", refused.GetProperty("rule_of").GetString());
        Assert.Equal(node, refused.GetProperty("entry").GetString());
        Assert.Contains("deny-list", l402.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("success", paid.GetProperty("status").GetString());
        Assert.Equal(1, (await _sandbox.PaymentsAsync(payer)).Count(p => p.GetProperty("amount").GetInt64() < 0));
    }

    [Fact]
    public async Task AConnectionsAllowListOfAddressesLetsOnlyThoseBePaid()
    {
        var (client, _) = await PayerAsync();
        await using var connection = client;
        var friend = await _sandbox.CreateWalletAsync("friend" + Guid.NewGuid().ToString("N")[..6]);
        var stranger = await _sandbox.CreateWalletAsync("stranger" + Guid.NewGuid().ToString("N")[..6]);

        await client.CallOkAsync("set_payment_limits", new { allow_payees = new[] { friend.LightningAddress } });
        var refused = await client.CallErrorAsync("pay_lightning_address", "payee_not_allowed", new { lightning_address = stranger.LightningAddress, amount_sats = 5 });
        var paid = await client.CallOkAsync("pay_lightning_address", new { lightning_address = friend.LightningAddress, amount_sats = 5 });
        var invoice = await _sandbox.ExternalInvoiceAsync(3);
        var invoicePaid = await client.CallOkAsync("pay_invoice", new { bolt11 = invoice.Bolt11 }); // an address allow-list does not restrict nodes

        Assert.Equal("allow", refused.GetProperty("rule").GetString());
        Assert.Contains("allow-list of Lightning Addresses", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("success", paid.GetProperty("status").GetString());
        Assert.Equal("success", invoicePaid.GetProperty("status").GetString());
        Assert.Equal(0, await _sandbox.BalanceMsatAsync(stranger));
    }

    [Fact]
    public async Task TheOperatorsRulesApplyBeforeAnythingIsRequested()
    {
        var (client, payer) = await PayerAsync();
        await using var connection = client;
        var otherOrigin = new UriBuilder(_sandbox.Url) { Host = "localhost" }.Uri;

        var denied = await client.CallErrorAsync("pay_lightning_address", "payee_not_allowed", new { lightning_address = "bob@shop.denied.example", amount_sats = 5 });
        var origin = await client.CallErrorAsync("pay_l402", "payee_not_allowed", new { url = new Uri(otherOrigin, "/sandbox/l402/elsewhere").AbsoluteUri, max_sats = 10 });
        var allowed = await client.CallOkAsync("pay_l402", new { url = new Uri(_sandbox.Url, "/sandbox/l402/allowed").AbsoluteUri, max_sats = 10 });
        var stats = await _sandbox.Http.GetFromJsonAsync<JsonElement>("/sandbox/l402-stats");

        Assert.Equal("operator", denied.GetProperty("rule_of").GetString());
        Assert.Equal("*.denied.example", denied.GetProperty("entry").GetString());
        Assert.Equal("operator", origin.GetProperty("rule_of").GetString());
        Assert.Equal("allow", origin.GetProperty("rule").GetString());
        Assert.False(stats.TryGetProperty("elsewhere", out _));
        Assert.Equal("paid", allowed.GetProperty("credential").GetString());
        Assert.Equal(1, (await _sandbox.PaymentsAsync(payer)).Count(p => p.GetProperty("amount").GetInt64() < 0));
    }

    [Fact]
    public async Task AnEntryThatNamesNoPayeeIsAnInvalidArgumentAndNothingChanges()
    {
        var (client, _) = await PayerAsync();
        await using var connection = client;

        var bad = await client.CallErrorAsync("set_payment_limits", "invalid_argument", new { deny_payees = new[] { "example.com", "https://x.example/path" } });
        var limits = await client.CallOkAsync("set_payment_limits", new { max_payment_sats = 50 });

        Assert.Contains("not an origin", bad.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(limits.TryGetProperty("deny_payees", out _));
    }

    [Fact]
    public async Task AnOperatorRuleThatNamesNoPayeeStopsTheServerAtStart()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ServerHost.StartAsync(new Dictionary<string, string?> { ["Payments:Payees:Deny:0"] = "not a payee" }));

        Assert.Contains("Payments:Payees:Deny", error.Message, StringComparison.Ordinal);
    }
}
