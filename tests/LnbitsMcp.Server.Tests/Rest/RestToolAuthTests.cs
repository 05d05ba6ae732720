using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Server.Tests.OAuth;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.Rest;

/// <summary>
/// The REST route under <c>Auth:Mode=required</c> (CONTRACT §8, §10): the same challenge as <c>/mcp</c>, a token's
/// connection as the session, and the scope refusal of a read-only connection. Tokens come from the real connect
/// page and token endpoint (<see cref="OAuthFlow.ConsentOverHttpAsync"/>).
/// </summary>
public sealed class RestToolAuthTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = RestToolCalls.Timeout };
    private Sandbox _sandbox = null!;
    private ServerHost _server = null!;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await Sandbox.StartAsync();
        _server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Auth:Mode"] = "required" });
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task WithoutATokenTheRouteAnswers401WithTheChallengeOfMcp()
    {
        using var mcp = new HttpRequestMessage(HttpMethod.Post, _server.McpUrl) { Content = new StringContent(McpHttp.ToolsList, Encoding.UTF8, "application/json") };
        using var mcpAnswer = await _http.SendAsync(mcp);

        var rest = await _http.CallToolAsync(_server.Url, "get_wallet_balance");

        rest.Refusal(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, mcpAnswer.StatusCode);
        Assert.Equal(mcpAnswer.Headers.WwwAuthenticate.ToString(), rest.Headers.WwwAuthenticate.ToString());
        Assert.Contains("resource_metadata=", rest.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("scope=\"wallet:read wallet:pay\"", rest.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("invalid_token", (await _http.CallToolAsync(_server.Url, "get_wallet_balance", bearer: "not-a-token")).Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConnectionsTokenUsesItsWalletWithNoSessionIdAndNoOtherSession()
    {
        var wallet = await _sandbox.CreateWalletAsync("oauth-rest", 4_321);
        var token = await ConnectAsync(wallet.AdminKey);
        var invoice = await _sandbox.ExternalInvoiceAsync(21);

        var balance = (await _http.CallToolAsync(_server.Url, "get_wallet_balance", bearer: token)).Ok();
        var info = (await _http.CallToolAsync(_server.Url, "get_session_info", bearer: token)).Ok();
        var paid = (await _http.CallToolAsync(_server.Url, "pay_invoice", new { bolt11 = invoice.Bolt11 }, bearer: token)).Ok();
        var foreign = await _http.CallToolAsync(_server.Url, "get_wallet_balance", new { session_id = new string('Q', 43) }, bearer: token);
        var configure = await _http.CallToolAsync(_server.Url, "configure_lnbits", new { lnbits_url = _sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey }, bearer: token);

        Assert.Equal(4_321, balance.GetProperty("balance_sat").GetInt64());
        Assert.Equal("oauth", info.GetProperty("auth").GetString());
        Assert.Contains("wallet:pay", info.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("success", paid.GetProperty("status").GetString());
        foreign.Error("session_not_found");
        configure.Error("invalid_argument");
        Assert.InRange(await _sandbox.BalanceMsatAsync(wallet), 4_300_000 - 5_000, 4_300_000 - 1);
    }

    [Fact]
    public async Task AReadOnlyConnectionGets403InsufficientScopeForAPayingToolAndStillReads()
    {
        var wallet = await _sandbox.CreateWalletAsync("oauth-rest-reader", 1_234);
        var token = await ConnectAsync(wallet.InvoiceKey);
        var invoice = await _sandbox.ExternalInvoiceAsync(10);

        var pay = await _http.CallToolAsync(_server.Url, "pay_invoice", new { bolt11 = invoice.Bolt11 }, bearer: token);
        var address = await _http.CallToolAsync(_server.Url, "pay_lightning_address", new { lightning_address = wallet.LightningAddress, amount_sats = 1 }, bearer: token);
        var balance = (await _http.CallToolAsync(_server.Url, "get_wallet_balance", bearer: token)).Ok();

        pay.Refusal(HttpStatusCode.Forbidden);
        address.Refusal(HttpStatusCode.Forbidden);
        Assert.Contains("error=\"insufficient_scope\"", pay.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("pay_invoice", pay.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(1_234, balance.GetProperty("balance_sat").GetInt64());
        Assert.Equal(1_234_000, await _sandbox.BalanceMsatAsync(wallet));
    }

    /// <summary>A connection made on the connect page with <paramref name="key"/>: its access token.</summary>
    private async Task<string> ConnectAsync(string key)
    {
        var flow = new OAuthFlow(_server.Url);
        var clientId = await flow.RegisterAsync("REST caller");
        var code = await flow.ConsentOverHttpAsync(clientId, new WalletChoice(_sandbox.Url, key));
        using var redeemed = await flow.RedeemAsync(clientId, code);
        var tokens = await redeemed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(redeemed.IsSuccessStatusCode, tokens.ToString());
        return tokens.GetProperty("access_token").GetString()!;
    }
}
