using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.Tools;

/// <summary>
/// The operator's budget belongs to the wallet: a new session, header credentials or another connection of
/// the same wallet share it (and its paid hashes); a session's own limits only tighten it.
/// </summary>
public sealed class TheOperatorsBudgetBelongsToTheWallet : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private Sandbox _sandbox = null!;
    private ServerHost _server = null!;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _sandbox = await Sandbox.StartAsync();
        _server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = _redis.ConnectionString,
            ["Payments:DailyBudgetSats"] = "3500",
            ["Payments:ConfirmAboveSats"] = "100000",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _sandbox.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task ANewSessionOrHeaderCredentialsOfTheSameWalletCannotResetTheBudget()
    {
        var wallet = await _sandbox.CreateWalletAsync("budget-wallet", 50_000);
        var lnbitsUrl = _sandbox.Url.AbsoluteUri;
        await using var first = await _server.ConnectAsync();
        await first.CallOkAsync("configure_lnbits", new { lnbits_url = lnbitsUrl, api_key = wallet.AdminKey });
        var paidByFirst = await _sandbox.ExternalInvoiceAsync(1_000);
        await first.CallOkAsync("pay_invoice", new { bolt11 = paidByFirst.Bolt11 });
        for (var i = 0; i < 2; i++)
        {
            await first.CallOkAsync("pay_invoice", new { bolt11 = (await _sandbox.ExternalInvoiceAsync(1_000)).Bolt11 });
        }

        await first.CallErrorAsync("pay_invoice", "limit_exceeded", new { bolt11 = (await _sandbox.ExternalInvoiceAsync(1_000)).Bolt11 });

        await using var second = await _server.ConnectAsync();
        await second.CallOkAsync("configure_lnbits", new { lnbits_url = lnbitsUrl, api_key = wallet.AdminKey });
        var refused = await second.CallErrorAsync("pay_invoice", "limit_exceeded", new { bolt11 = (await _sandbox.ExternalInvoiceAsync(1_000)).Bolt11 });
        await second.CallErrorAsync("pay_invoice", "already_paid", new { bolt11 = paidByFirst.Bolt11 });
        await using var headers = await _server.ConnectAsync(headers: new Dictionary<string, string> { ["X-LNbits-Url"] = lnbitsUrl, ["X-LNbits-Api-Key"] = wallet.AdminKey });
        await headers.CallErrorAsync("pay_invoice", "limit_exceeded", new { bolt11 = (await _sandbox.ExternalInvoiceAsync(1_000)).Bolt11 });
        var dryRun = await headers.CallOkAsync("pay_invoice", new { bolt11 = (await _sandbox.ExternalInvoiceAsync(400)).Bolt11, dry_run = true });
        await headers.CallOkAsync("pay_invoice", new { bolt11 = (await _sandbox.ExternalInvoiceAsync(400)).Bolt11 });

        Assert.Equal(500, refused.GetProperty("left_sats").GetInt64());
        Assert.Equal(500, dryRun.GetProperty("limits").GetProperty("daily_budget_left_sats").GetInt64());
        Assert.Equal(4, (await _sandbox.PaymentsAsync(wallet)).Count(p => p.GetProperty("amount").GetInt64() < 0)); // 3 + the 400 sats
    }

    [Fact]
    public async Task ASessionsOwnTighterLimitAppliesOnTopOfTheWallets()
    {
        var wallet = await _sandbox.CreateWalletAsync("tight-wallet", 50_000);
        await using var client = await _server.ConnectAsync();
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = _sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        await client.CallOkAsync("set_payment_limits", new { daily_budget_sats = 1_500 });

        await client.CallOkAsync("pay_invoice", new { bolt11 = (await _sandbox.ExternalInvoiceAsync(1_000)).Bolt11 });
        var refused = await client.CallErrorAsync("pay_invoice", "limit_exceeded", new { bolt11 = (await _sandbox.ExternalInvoiceAsync(1_000)).Bolt11 });

        Assert.Equal(500, refused.GetProperty("left_sats").GetInt64());
    }
}
