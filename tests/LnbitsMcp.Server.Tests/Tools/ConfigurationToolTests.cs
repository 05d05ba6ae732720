using System.Net.Http.Json;
using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.Tools;

/// <summary>configure_lnbits and friends, and the LNbits failure codes seen through the tools.</summary>
public sealed class ConfigurationToolTests : IAsyncLifetime
{
    private Sandbox _sandbox = null!;
    private ServerHost _server = null!;
    private SandboxWallet _wallet = null!;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await Sandbox.StartAsync();
        _server = await ServerHost.StartAsync();
        await _sandbox.CreateUserAsync("dave", "dave-password-1");
        _wallet = await _sandbox.CreateWalletAsync("dave-wallet", balanceSat: 4_000, user: "dave");
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Theory]
    [InlineData("api_key_header")]
    [InlineData("api_key_query")]
    [InlineData("bearer")]
    [InlineData("oauth2")]
    public async Task EveryAuthMethodConfiguresAWorkingWallet(string method)
    {
        await using var client = await _server.ConnectAsync();
        object arguments = method switch
        {
            "bearer" => new { lnbits_url = _sandbox.Url.AbsoluteUri, auth_method = method, bearer_token = await LoginAsync() },
            "oauth2" => new { lnbits_url = _sandbox.Url.AbsoluteUri, auth_method = method, username = "dave", password = "dave-password-1" },
            _ => new { lnbits_url = _sandbox.Url.AbsoluteUri, auth_method = method, api_key = _wallet.AdminKey },
        };

        var configured = await client.CallOkAsync("configure_lnbits", arguments);
        var details = await client.CallOkAsync("get_wallet_details");
        var test = await client.CallOkAsync("test_lnbits_configuration");
        var shown = await client.CallOkAsync("get_lnbits_configuration");

        Assert.True(configured.GetProperty("configured").GetBoolean());
        Assert.Equal(method, configured.GetProperty("auth_method").GetString());
        Assert.Equal("admin", configured.GetProperty("key_type").GetString());
        Assert.Equal("dave-wallet", configured.GetProperty("wallet_name").GetString());
        Assert.Equal(4_000, details.GetProperty("balance_sat").GetInt64());
        Assert.True(test.GetProperty("ok").GetBoolean());
        Assert.Equal(method, shown.GetProperty("auth_method").GetString());
        Assert.Equal(method is "bearer" or "oauth2" ? "***" : "***" + _wallet.AdminKey[^4..], shown.GetProperty("api_key").GetString()); // passwords and tokens: nothing of them
    }

    [Fact]
    public async Task AFailedCheckSavesNothing()
    {
        await using var client = await _server.ConnectAsync();
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = _sandbox.Url.AbsoluteUri, api_key = _wallet.AdminKey });

        await client.CallErrorAsync("configure_lnbits", "lnbits_unauthorized", new { lnbits_url = _sandbox.Url.AbsoluteUri, api_key = "0123456789abcdef0123456789abcdef" });

        var shown = await client.CallOkAsync("get_lnbits_configuration");
        Assert.Equal("***" + _wallet.AdminKey[^4..], shown.GetProperty("api_key").GetString());
    }

    [Fact]
    public async Task BadArgumentsAreInvalidArgumentWithTheReason()
    {
        await using var client = await _server.ConnectAsync();

        await client.CallErrorAsync("configure_lnbits", "invalid_argument", new { lnbits_url = "ftp://example.com", api_key = "k" });
        await client.CallErrorAsync("configure_lnbits", "invalid_argument", new { lnbits_url = "not a url", api_key = "k" });
        await client.CallErrorAsync("configure_lnbits", "invalid_argument", new { lnbits_url = "http://user:pw@127.0.0.1/", api_key = "k" });
        await client.CallErrorAsync("configure_lnbits", "invalid_argument", new { lnbits_url = _sandbox.Url.AbsoluteUri });
        await client.CallErrorAsync("configure_lnbits", "invalid_argument", new { lnbits_url = _sandbox.Url.AbsoluteUri, auth_method = "magic", api_key = "k" });
        await client.CallErrorAsync("configure_lnbits", "invalid_argument", new { lnbits_url = _sandbox.Url.AbsoluteUri, auth_method = "oauth2", username = "dave" });
        await client.CallErrorAsync("configure_lnbits", "invalid_argument", new { lnbits_url = _sandbox.Url.AbsoluteUri, api_key = "k", timeout_seconds = 0 });
        await client.CallErrorAsync("configure_lnbits", "invalid_argument", new { lnbits_url = _sandbox.Url.AbsoluteUri, auth_method = "oauth2", username = "dave", password = "dave-password-1", wallet_id = "no-such-wallet" });
    }

    [Fact]
    public async Task AnUnreachableLnbitsIsReportedByEveryTool()
    {
        await using var client = await _server.ConnectAsync();

        await client.CallErrorAsync("configure_lnbits", "lnbits_unreachable", new { lnbits_url = "http://127.0.0.1:9/", api_key = "k" });
        await using var headerClient = await _server.ConnectAsync(headers: new Dictionary<string, string> { ["X-LNbits-Url"] = "http://127.0.0.1:9/", ["X-LNbits-Api-Key"] = "k" });
        var check = await headerClient.CallOkAsync("check_connection");
        var test = await headerClient.CallOkAsync("test_lnbits_configuration");

        Assert.False(check.GetProperty("connected").GetBoolean());
        Assert.StartsWith("lnbits_unreachable", check.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(test.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task HeaderCredentialsServeOneRequestAndAreNeverStored()
    {
        var headers = new Dictionary<string, string> { ["X-LNbits-Url"] = _sandbox.Url.AbsoluteUri, ["X-LNbits-Api-Key"] = _wallet.InvoiceKey };
        await using var client = await _server.ConnectAsync(headers: headers);

        var balance = await client.CallOkAsync("get_wallet_balance");
        var shown = await client.CallOkAsync("get_lnbits_configuration");
        var info = await client.CallOkAsync("get_session_info");
        var check = await client.CallOkAsync("check_connection");
        var invoice = await _sandbox.ExternalInvoiceAsync(10);

        Assert.Equal(4_000_000, balance.GetProperty("balance_msat").GetInt64());
        Assert.Equal("headers", shown.GetProperty("source").GetString());
        Assert.False(info.GetProperty("is_configured").GetBoolean());
        Assert.True(check.GetProperty("connected").GetBoolean());
        // The header key is an invoice key; the server cannot know until LNbits says so.
        await client.CallErrorAsync("pay_invoice", "lnbits_forbidden", new { bolt11 = invoice.Bolt11 });
    }

    [Fact]
    public async Task LnbitsRefusalsKeepTheirMessages()
    {
        var poor = await _sandbox.CreateWalletAsync("poor", balanceSat: 5);
        await using var client = await _server.ConnectAsync();
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = _sandbox.Url.AbsoluteUri, api_key = poor.AdminKey });
        var invoice = await _sandbox.ExternalInvoiceAsync(100);

        var error = await client.CallErrorAsync("pay_invoice", "insufficient_balance", new { bolt11 = invoice.Bolt11 });
        var missing = await client.CallErrorAsync("get_payment_status", "lnbits_error", new { payment_hash = new string('b', 64) });

        Assert.Contains("Insufficient balance.", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("Payment does not exist.", missing.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<string> LoginAsync()
    {
        using var response = await _sandbox.Http.PostAsJsonAsync("/api/v1/auth", new { username = "dave", password = "dave-password-1" });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }
}

/// <summary>A server with the SSRF guard's defaults (no private networks): user-chosen URLs to them are refused.</summary>
public sealed class ForbiddenDestinationTests : IAsyncLifetime
{
    private ServerHost _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Security:AllowPrivateNetworks"] = "false" });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("http://127.0.0.1:5000/")]
    [InlineData("http://localhost:5000/")]
    [InlineData("http://169.254.169.254/")]
    [InlineData("http://10.1.2.3/")]
    [InlineData("http://[::1]:5000/")]
    [InlineData("http://example.com/")]
    public async Task PrivateLinkLocalAndPlainHttpPublicDestinationsAreRefused(string url)
    {
        await using var client = await _server.ConnectAsync();

        var error = await client.CallErrorAsync("configure_lnbits", "forbidden_destination", new { lnbits_url = url, api_key = "k" });

        Assert.DoesNotContain("\"k\"", error.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALightningAddressOnAPrivateHostIsRefused()
    {
        await using var client = await _server.ConnectAsync(headers: new Dictionary<string, string> { ["X-LNbits-Url"] = "https://lnbits.invalid/", ["X-LNbits-Api-Key"] = "k" });

        await client.CallErrorAsync("pay_lightning_address", "forbidden_destination", new { lightning_address = "alice@127.0.0.1:5000", amount_sats = 1 });
    }
}
