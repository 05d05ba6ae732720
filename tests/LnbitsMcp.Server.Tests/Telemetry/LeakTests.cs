using System.Net.Http.Json;
using System.Text.Json;
using LnbitsMcp.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.Telemetry;

/// <summary>
/// Known, distinctive secrets go through every tool (failing ones too, and an LNbits that echoes
/// the key back); none of them, nor a raw session id, a preimage or a payment approval id (a capability for anonymous sessions), appears
/// in any exported span, metric or log record — logs captured at Trace level.
/// </summary>
public sealed class LeakTests : IAsyncLifetime
{
    private const string Password = "leak-test-password-9d41f3b2";
    private TelemetryStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await TelemetryStack.StartAsync();

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task NoSecretReachesAnySpanMetricOrLog()
    {
        var sandbox = _stack.Sandbox;
        await sandbox.CreateUserAsync("leaky", Password);
        var wallet = await sandbox.CreateWalletAsync("leaky-wallet", 100_000, user: "leaky");
        var payee = await sandbox.CreateWalletAsync("leaky-payee");
        using var login = await sandbox.Http.PostAsJsonAsync("/api/v1/auth", new { username = "leaky", password = Password });
        var bearer = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        await using var echo = await EchoingLnbits.StartAsync();
        var secrets = new List<string> { wallet.AdminKey, wallet.InvoiceKey, Password, bearer };

        await using var client = await _stack.ConnectThroughEdgeAsync();
        secrets.Add(client.SessionId!);
        var lnbitsUrl = sandbox.Url.AbsoluteUri;
        var sessionId = (await client.CallOkAsync("create_session")).GetProperty("session_id").GetString()!;
        secrets.Add(sessionId);

        await client.CallRawAsync("configure_lnbits", new { lnbits_url = echo.Url.AbsoluteUri, api_key = wallet.AdminKey });
        await client.CallRawAsync("configure_lnbits", new { lnbits_url = lnbitsUrl, api_key = "0000" + wallet.AdminKey[4..] });
        await client.CallOkAsync("configure_lnbits", new { session_id = sessionId, lnbits_url = lnbitsUrl, auth_method = "oauth2", username = "leaky", password = Password });
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = lnbitsUrl, auth_method = "bearer", bearer_token = bearer });
        await client.CallRawAsync("configure_lnbits", new { lnbits_url = lnbitsUrl, auth_method = "bearer", bearer_token = bearer + "x" });
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = lnbitsUrl, api_key = wallet.AdminKey });
        foreach (var tool in new[] { "get_session_info", "get_lnbits_configuration", "test_lnbits_configuration", "check_connection", "get_wallet_details", "get_wallet_balance", "get_payments" })
        {
            await client.CallOkAsync(tool);
            await client.CallOkAsync(tool, new { session_id = sessionId });
        }

        var invoice = await client.CallOkAsync("create_invoice", new { amount = 50, memo = "leak test" });
        var hash = invoice.GetProperty("payment_hash").GetString()!;
        await client.CallOkAsync("decode_invoice", new { bolt11 = invoice.GetProperty("bolt11").GetString() });
        await client.CallRawAsync("decode_invoice", new { bolt11 = "lnbcrt1broken" });
        var external = await sandbox.ExternalInvoiceAsync(20);
        await client.CallOkAsync("pay_invoice", new { bolt11 = external.Bolt11, dry_run = true });
        var paid = await client.CallOkAsync("pay_invoice", new { bolt11 = external.Bolt11 });
        secrets.Add(paid.GetProperty("preimage").GetString()!);
        await client.CallRawAsync("pay_invoice", new { bolt11 = external.Bolt11 });
        var large = await sandbox.ExternalInvoiceAsync(20_000);
        var required = await client.CallErrorAsync("pay_invoice", "confirmation_required", new { bolt11 = large.Bolt11 });
        var approvalId = required.GetProperty("approval_id").GetString()!;
        secrets.Add(approvalId);
        await ApprovalPages.DecideOkAsync(ApprovalPages.Url(required));
        var confirmed = await client.CallOkAsync("pay_invoice", new { bolt11 = large.Bolt11, approval_id = approvalId });
        secrets.Add(confirmed.GetProperty("preimage").GetString()!);
        await client.CallRawAsync("pay_invoice", new { bolt11 = large.Bolt11, approval_id = approvalId });
        var addressPaid = await client.CallOkAsync("pay_lightning_address", new { lightning_address = payee.LightningAddress, amount_sats = 5 });
        secrets.Add(addressPaid.GetProperty("preimage").GetString()!);
        await client.CallOkAsync("get_payment_status", new { payment_hash = external.PaymentHash });
        await client.CallOkAsync("get_payment_status", new { payment_hash = hash });
        await client.CallOkAsync("wait_for_payment", new { payment_hash = hash, timeout_seconds = 1 });
        await client.CallRawAsync("get_wallet_balance", new { session_id = sessionId + "x" });

        // Per-request header credentials (never registered anywhere but the call) and a configuration that fails.
        var headerWallet = await sandbox.CreateWalletAsync("leaky-headers", 1_000);
        secrets.Add(headerWallet.AdminKey);
        const string FailedPassword = "never-accepted pass\"word 77";
        secrets.Add(FailedPassword);
        await using (var headerClient = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = new Uri(_stack.EdgeUrl, "/mcp"),
                AdditionalHeaders = new Dictionary<string, string> { ["X-LNbits-Url"] = lnbitsUrl, ["X-LNbits-Api-Key"] = headerWallet.AdminKey },
            }),
            new McpClientOptions { ProtocolVersion = "2025-11-25" }))
        {
            await headerClient.CallOkAsync("get_wallet_balance");
            await headerClient.CallRawAsync("configure_lnbits", new { lnbits_url = lnbitsUrl, auth_method = "oauth2", username = "leaky", password = FailedPassword });
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // Redis spans are made every second (RedisTracing); metrics every 0.5 s
        var everything = _stack.Capture.AllText();

        Assert.Contains("pay_invoice", everything, StringComparison.Ordinal);          // the capture works
        Assert.Contains("lnbits_mcp.session", everything, StringComparison.Ordinal);
        Assert.True(_stack.Capture.Logs().Count > 20, "logs were captured");
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NoOAuthTokenCodeVerifierOrKeyReachesAnySpanLogOrRedis()
    {
        var wallet = await _stack.Sandbox.CreateWalletAsync("oauth-leak", 10_000);
        var flow = new OAuth.OAuthFlow(_stack.Server.Url);
        var clientId = await flow.RegisterAsync("Leak client");
        var code = await flow.ConsentOverHttpAsync(clientId, new OAuth.WalletChoice(_stack.Sandbox.Url, wallet.AdminKey));
        using var redeemed = await flow.RedeemAsync(clientId, code);
        var tokens = await redeemed.Content.ReadFromJsonAsync<JsonElement>();
        var access = tokens.GetProperty("access_token").GetString()!;
        var refresh = tokens.GetProperty("refresh_token").GetString()!;
        using var refreshed = await flow.RefreshAsync(clientId, refresh);
        var renewed = await refreshed.Content.ReadFromJsonAsync<JsonElement>();
        var secrets = new List<string> { wallet.AdminKey, wallet.InvoiceKey, code, flow.Verifier, access, refresh,
            renewed.GetProperty("access_token").GetString()!, renewed.GetProperty("refresh_token").GetString()! };

        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(_stack.Server.Url, "/mcp"),
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + secrets[6] },
        }), new McpClientOptions { ProtocolVersion = "2025-11-25" });
        await client.CallOkAsync("get_wallet_balance");
        await client.CallOkAsync("get_lnbits_configuration");
        var paid = await client.CallOkAsync("pay_invoice", new { bolt11 = (await _stack.Sandbox.ExternalInvoiceAsync(5)).Bolt11 });
        secrets.Add(paid.GetProperty("preimage").GetString()!);
        using (await flow.RedeemAsync(clientId, code))
        {
            // a replay, refused: its code must not be logged either
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // Redis spans are made every second (RedisTracing)
        var everything = _stack.Capture.AllText();
        var dump = string.Join('\n', await _stack.Redis.DumpAsync());
        Assert.Contains("oauth", dump, StringComparison.Ordinal); // the OAuth state is there
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
        }
    }

    /// <summary>A broken LNbits that puts the key it received into its error message.</summary>
    private sealed class EchoingLnbits(WebApplication app, Uri url) : IAsyncDisposable
    {
        public Uri Url { get; } = url;

        public static async Task<EchoingLnbits> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.Run(async context =>
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsJsonAsync(new { detail = $"Unknown key {context.Request.Headers["X-Api-Key"]} for {context.Request.Path}" });
            });
            await app.StartAsync();
            return new EchoingLnbits(app, ListeningAddress.Of(app));
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
