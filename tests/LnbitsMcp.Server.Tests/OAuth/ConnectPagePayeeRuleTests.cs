using LnbitsMcp.Testing;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.OAuth;

/// <summary>Payee rules set by the person on the connect page (real browser): they bind the connection and show on /connections.</summary>
public sealed class ConnectPagePayeeRuleTests(OAuthStack stack) : IClassFixture<OAuthStack>
{
    [Fact]
    public async Task APayeeDeniedOnTheConnectPageIsRefusedForThatConnectionAndShownOnItsConnectionsPage()
    {
        var wallet = await stack.Sandbox.CreateWalletAsync("rules-oauth", 10_000);
        var denied = await stack.Sandbox.CreateWalletAsync("rules-denied");
        var other = await stack.Sandbox.CreateWalletAsync("rules-other");
        await using var profile = await stack.Browser.NewProfileAsync();
        var page = await profile.NewPageAsync();

        var (_, access, _) = await stack.Flow().ConnectAsync(page, new WalletChoice(stack.Sandbox.Url, wallet.AdminKey, DenyPayees: denied.LightningAddress + "\n*.denied.example"));
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(stack.Server.Url, "/mcp"),
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + access },
        }), new McpClientOptions { ProtocolVersion = "2025-11-25" });
        var refused = await client.CallErrorAsync("pay_lightning_address", "payee_not_allowed", new { lightning_address = denied.LightningAddress, amount_sats = 5 });
        var paid = await client.CallOkAsync("pay_lightning_address", new { lightning_address = other.LightningAddress, amount_sats = 5 });
        var connections = await profile.NewPageAsync();
        await connections.GotoAsync(new Uri(stack.Server.Url, "/connections").AbsoluteUri);
        var shown = await connections.InnerTextAsync("main");

        Assert.Equal("connection", refused.GetProperty("rule_of").GetString());
        Assert.Equal("success", paid.GetProperty("status").GetString());
        Assert.Contains($"never pays: {denied.LightningAddress}, *.denied.example", shown, StringComparison.Ordinal);
        Assert.Equal(0, await stack.Sandbox.BalanceMsatAsync(denied));
    }

    [Fact]
    public async Task AnEntryThatNamesNoPayeeComesBackOnTheFormAndConnectsNothing()
    {
        var wallet = await stack.Sandbox.CreateWalletAsync("rules-bad", 1_000);
        await using var profile = await stack.Browser.NewProfileAsync();
        var page = await profile.NewPageAsync();
        var flow = stack.Flow();
        await page.GotoAsync(flow.AuthorizeUrl(await flow.RegisterAsync()).AbsoluteUri);

        await OAuthFlow.FillAsync(page, new WalletChoice(stack.Sandbox.Url, wallet.AdminKey, DenyPayees: "https://shop.example/checkout"));
        await page.ClickAsync("button[name=action][value=allow]");

        Assert.StartsWith("invalid_argument: deny_payees", await page.InnerTextAsync("#message"), StringComparison.Ordinal);
        Assert.Equal("https://shop.example/checkout", await page.InputValueAsync("#deny_payees"));
    }
}
