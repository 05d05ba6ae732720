using System.Net;
using System.Text.RegularExpressions;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Server.Tests.OAuth;
using LnbitsMcp.Testing;
using Microsoft.Playwright;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Payments;

/// <summary>One server (OAuth optional: anonymous sessions and connections), the LNbits sandbox and Debian's Chromium.</summary>
public sealed class ApprovalPageStack : IAsyncLifetime
{
    public Sandbox Sandbox { get; private set; } = null!;
    public ServerHost Server { get; private set; } = null!;
    public Browser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Sandbox = await Sandbox.StartAsync();
        Server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "optional",
            ["Payments:ConfirmAboveSats"] = "5000",
        });
        Browser = await Browser.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Server.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}

/// <summary>
/// The approval page (<c>/approve/{id}</c>) in a real browser: what it shows (encoded, under a strict CSP),
/// Approve and Decline deciding the repeated call, one decision only, forged posts refused, and an OAuth
/// connection's approval only for the owner's browser (or someone who proves the wallet).
/// </summary>
public sealed class TheApprovalPageInABrowser(ApprovalPageStack stack) : IClassFixture<ApprovalPageStack>
{
    private const string HostileMemo = "<script>document.title='owned'</script> & \"tea\"";

    private async Task<(McpClient Client, SandboxWallet Wallet)> AnonymousPayerAsync()
    {
        var wallet = await stack.Sandbox.CreateWalletAsync("page-payer-" + Guid.NewGuid().ToString("N")[..8], 100_000);
        var client = await stack.Server.ConnectAsync();
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = stack.Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
        return (client, wallet);
    }

    /// <summary>An invoice of another wallet of the sandbox, with a memo.</summary>
    private async Task<string> InvoiceAsync(long amountSat, string memo)
    {
        var payee = await stack.Sandbox.CreateWalletAsync("page-payee-" + Guid.NewGuid().ToString("N")[..8]);
        await using var client = await stack.Server.ConnectAsync();
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = stack.Sandbox.Url.AbsoluteUri, api_key = payee.AdminKey });
        return (await client.CallOkAsync("create_invoice", new { amount = amountSat, memo })).GetProperty("bolt11").GetString()!;
    }

    [Fact]
    public async Task APersonApprovesOnTheEncodedPageAndTheRepeatedCallPaysOnce()
    {
        var (client, wallet) = await AnonymousPayerAsync();
        await using var connection = client;
        var bolt11 = await InvoiceAsync(6_000, HostileMemo);
        var required = await client.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11 });
        var approvalId = required.GetProperty("approval_id").GetString()!;
        await using var profile = await stack.Browser.NewProfileAsync();
        var page = await profile.NewPageAsync();

        var response = await page.GotoAsync(required.GetProperty("approval_url").GetString()!);

        Assert.Equal(200, response!.Status);
        Assert.Contains("default-src 'none'", await response.HeaderValueAsync("content-security-policy"));
        Assert.Equal("6,000 sats", await page.InnerTextAsync("#amount"));
        Assert.Equal(HostileMemo, await page.InnerTextAsync("#memo"));
        Assert.StartsWith("node 0", await page.InnerTextAsync("#payee"));
        Assert.Contains("sats of the 24-hour budget", await page.InnerTextAsync("#limits-left"));
        Assert.Equal(0, await page.Locator("#memo script").CountAsync());
        Assert.NotEqual("owned", await page.TitleAsync());
        Assert.Equal(0, await page.Locator("input[name=wallet_key]").CountAsync());
        await client.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11, approval_id = approvalId });

        await page.ClickAsync("button[name=action][value=approve]");
        Assert.Contains("You approved this payment", await page.InnerTextAsync("#outcome"));
        var paid = await client.CallOkAsync("pay_invoice", new { bolt11, approval_id = approvalId });
        Assert.Equal("success", paid.GetProperty("status").GetString());

        var replay = await page.GotoAsync(required.GetProperty("approval_url").GetString()!);
        Assert.Equal(409, replay!.Status);
        Assert.Equal(0, await page.Locator("button[name=action]").CountAsync());
        await client.CallErrorAsync("pay_invoice", "already_paid", new { bolt11, approval_id = approvalId });
        Assert.InRange(await stack.Sandbox.BalanceMsatAsync(wallet), 100_000_000 - 6_000_000 - 100_000, 100_000_000 - 6_000_000);
    }

    [Fact]
    public async Task APersonDeclinesOnThePageAndTheRepeatedCallIsDeclined()
    {
        var (client, wallet) = await AnonymousPayerAsync();
        await using var connection = client;
        var bolt11 = await InvoiceAsync(7_000, "a lamp");
        var required = await client.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11 });
        await using var profile = await stack.Browser.NewProfileAsync();
        var page = await profile.NewPageAsync();
        await page.GotoAsync(required.GetProperty("approval_url").GetString()!);

        await page.ClickAsync("button[name=action][value=decline]");

        Assert.Contains("You declined this payment", await page.InnerTextAsync("#outcome"));
        await client.CallErrorAsync("pay_invoice", "confirmation_declined", new { bolt11, approval_id = required.GetProperty("approval_id").GetString() });
        Assert.Equal(100_000_000, await stack.Sandbox.BalanceMsatAsync(wallet));
    }

    [Fact]
    public async Task AForgedPostWithoutThePagesAntiforgeryPairIsRefusedAndDecidesNothing()
    {
        var (client, wallet) = await AnonymousPayerAsync();
        await using var connection = client;
        var bolt11 = await InvoiceAsync(6_000, "forged");
        var required = await client.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11 });
        var url = ApprovalPages.Url(required);
        await using var profile = await stack.Browser.NewProfileAsync();
        var page = await profile.NewPageAsync();
        await page.GotoAsync(url.AbsoluteUri);
        var tokenFromTheBrowser = await page.GetAttributeAsync("input[name=__RequestVerificationToken]", "value");

        using var attacker = new HttpClient { Timeout = ToolCalls.Timeout };
        using var noToken = await attacker.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "approve" }));
        using var stolenTokenWithoutItsCookie = await attacker.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = tokenFromTheBrowser!,
            ["action"] = "approve",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, stolenTokenWithoutItsCookie.StatusCode);
        Assert.Contains("Nothing was decided", await noToken.Content.ReadAsStringAsync());
        await client.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11, approval_id = required.GetProperty("approval_id").GetString() });
        await page.ClickAsync("button[name=action][value=approve]");
        Assert.Contains("You approved this payment", await page.InnerTextAsync("#outcome"));
        Assert.Equal(100_000_000, await stack.Sandbox.BalanceMsatAsync(wallet));
    }

    [Fact]
    public async Task AnOAuthConnectionsApprovalNeedsTheOwnersBrowserOrTheWalletsKey()
    {
        var aliceWallet = await stack.Sandbox.CreateWalletAsync("oauth-alice", 100_000);
        var bobWallet = await stack.Sandbox.CreateWalletAsync("oauth-bob", 100_000);
        await using var aliceProfile = await stack.Browser.NewProfileAsync();
        await using var bobProfile = await stack.Browser.NewProfileAsync();
        await using var strangerProfile = await stack.Browser.NewProfileAsync();
        var (_, aliceToken, _) = await new OAuthFlow(stack.Server.Url).ConnectAsync(await aliceProfile.NewPageAsync(), new WalletChoice(stack.Sandbox.Url, aliceWallet.AdminKey));
        await new OAuthFlow(stack.Server.Url).ConnectAsync(await bobProfile.NewPageAsync(), new WalletChoice(stack.Sandbox.Url, bobWallet.AdminKey));
        var alicePage = await aliceProfile.NewPageAsync(); // new tabs of the same browsers (cookies): the connect tabs may still be following their redirect
        var bobPage = await bobProfile.NewPageAsync();
        await using var alice = await ConnectWithTokenAsync(aliceToken);
        var bolt11 = await InvoiceAsync(6_000, "oauth");
        var required = await alice.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11 });
        var url = required.GetProperty("approval_url").GetString()!;

        var seenByBob = await bobPage.GotoAsync(url);
        Assert.Equal(403, seenByBob!.Status);
        Assert.Contains("another browser", await bobPage.InnerTextAsync("#message"));
        await bobPage.ClickAsync("button[name=action][value=approve]");
        Assert.Contains("another browser", await bobPage.InnerTextAsync("#message"));
        await bobPage.FillAsync("#wallet_key", bobWallet.AdminKey);
        await bobPage.ClickAsync("button[name=action][value=approve]");
        Assert.Contains("not the key of the wallet", await bobPage.InnerTextAsync("#message"));
        await alice.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11, approval_id = required.GetProperty("approval_id").GetString() });

        var seenByAlice = await alicePage.GotoAsync(url);
        Assert.Equal(200, seenByAlice!.Status);
        Assert.Equal(0, await alicePage.Locator("#wallet_key").CountAsync());
        await alicePage.ClickAsync("button[name=action][value=approve]");
        Assert.Contains("You approved this payment", await alicePage.InnerTextAsync("#outcome"));
        var paid = await alice.CallOkAsync("pay_invoice", new { bolt11, approval_id = required.GetProperty("approval_id").GetString() });
        Assert.Equal("success", paid.GetProperty("status").GetString());
        Assert.Equal(100_000_000, await stack.Sandbox.BalanceMsatAsync(bobWallet));

        var second = await alice.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11 = await InvoiceAsync(5_500, "proved") });
        var strangerPage = await strangerProfile.NewPageAsync();
        Assert.Equal(403, (await strangerPage.GotoAsync(second.GetProperty("approval_url").GetString()!))!.Status);
        await strangerPage.FillAsync("#wallet_key", aliceWallet.AdminKey);
        await strangerPage.ClickAsync("button[name=action][value=approve]");
        Assert.Matches(new Regex("You approved this payment"), await strangerPage.InnerTextAsync("#outcome"));
    }

    private async Task<McpClient> ConnectWithTokenAsync(string accessToken)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = stack.Server.McpUrl,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + accessToken },
        });
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" }).WaitAsync(ToolCalls.Timeout);
    }
}
