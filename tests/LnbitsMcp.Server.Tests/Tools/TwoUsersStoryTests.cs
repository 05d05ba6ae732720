using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using ModelContextProtocol.Protocol;

namespace LnbitsMcp.Server.Tests.Tools;

/// <summary>The full story of two users on one server, over real HTTP with the C# MCP client, against the sandbox.</summary>
public sealed class TwoUsersStoryTests : SandboxServerTests
{
    [Fact]
    public async Task AliceInvoicesBobPaysAndBothSeeTheRightBalancesStatusAndHistory()
    {
        var aliceWallet = await Sandbox.CreateWalletAsync("alice", balanceSat: 1_000);
        var bobWallet = await Sandbox.CreateWalletAsync("bob", balanceSat: 50_000);
        await using var alice = await Server.ConnectAsync();
        await using var bob = await Server.ConnectAsync();

        var aliceConfig = await alice.CallOkAsync("configure_lnbits", new { lnbits_url = Sandbox.Url.AbsoluteUri, api_key = aliceWallet.AdminKey });
        await bob.CallOkAsync("configure_lnbits", new { lnbits_url = Sandbox.Url.AbsoluteUri, api_key = bobWallet.AdminKey });
        Assert.Equal("admin", aliceConfig.GetProperty("key_type").GetString());
        Assert.Equal("alice", aliceConfig.GetProperty("wallet_name").GetString());

        var created = await alice.CallRawAsync("create_invoice", new { amount = 2_100, memo = "coffee for alice" });
        Assert.NotEqual(true, created.IsError);
        var invoice = created.StructuredContent!.Value;
        var bolt11 = invoice.GetProperty("bolt11").GetString()!;
        var hash = invoice.GetProperty("payment_hash").GetString()!;
        Assert.Equal(2_100, invoice.GetProperty("amount_sat").GetInt64());
        Assert.Equal("lightning:" + bolt11.ToUpperInvariant(), invoice.GetProperty("lightning_uri").GetString());
        var qr = Assert.Single(created.Content.OfType<ImageContentBlock>());
        Assert.Equal("image/png", qr.MimeType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(qr.Data.ToArray()))[..4]);

        var decoded = await bob.CallOkAsync("decode_invoice", new { bolt11 });
        Assert.Equal("regtest", decoded.GetProperty("network").GetString());
        Assert.Equal(2_100_000, decoded.GetProperty("amount_msat").GetInt64());
        Assert.Equal(hash, decoded.GetProperty("payment_hash").GetString());
        Assert.Equal("coffee for alice", decoded.GetProperty("description").GetString());
        Assert.True(decoded.GetProperty("signature_valid").GetBoolean());
        Assert.False(decoded.GetProperty("is_expired").GetBoolean());

        var paid = await bob.CallOkAsync("pay_invoice", new { bolt11 });
        Assert.Equal("success", paid.GetProperty("status").GetString());
        Assert.Equal(hash, paid.GetProperty("payment_hash").GetString());
        Assert.Equal(2_100, paid.GetProperty("amount_sat").GetInt64());
        Assert.Matches("^[0-9a-f]{64}$", paid.GetProperty("preimage").GetString()!);

        var aliceBalance = await alice.CallOkAsync("get_wallet_balance");
        var bobBalance = await bob.CallOkAsync("get_wallet_balance");
        Assert.Equal(3_100_000, aliceBalance.GetProperty("balance_msat").GetInt64());
        Assert.Equal(3_100, aliceBalance.GetProperty("balance_sat").GetInt64());
        Assert.Equal(47_900_000, bobBalance.GetProperty("balance_msat").GetInt64());
        Assert.Equal(await Sandbox.BalanceMsatAsync(aliceWallet), aliceBalance.GetProperty("balance_msat").GetInt64());

        var aliceStatus = await alice.CallOkAsync("get_payment_status", new { payment_hash = hash });
        Assert.True(aliceStatus.GetProperty("paid").GetBoolean());
        Assert.Equal("success", aliceStatus.GetProperty("status").GetString());
        Assert.Equal(2_100_000, aliceStatus.GetProperty("amount_msat").GetInt64());

        var aliceHistory = Payment(await alice.CallOkAsync("get_payments", new { limit = 5 }), hash);
        var bobHistory = Payment(await bob.CallOkAsync("get_payments"), hash);
        Assert.Equal("incoming", aliceHistory.GetProperty("direction").GetString());
        Assert.Equal("outgoing", bobHistory.GetProperty("direction").GetString());
        Assert.Equal(2_100_000, aliceHistory.GetProperty("amount_msat").GetInt64());
        Assert.Equal(2_100_000, bobHistory.GetProperty("amount_msat").GetInt64());
        Assert.Equal(2_100, bobHistory.GetProperty("amount_sat").GetInt64());
        Assert.Equal(0, bobHistory.GetProperty("fee_msat").GetInt64());
        Assert.Equal("success", bobHistory.GetProperty("status").GetString());

        await bob.CallErrorAsync("pay_invoice", "already_paid", new { bolt11 });
        Assert.Equal(47_900_000, await Sandbox.BalanceMsatAsync(bobWallet));
    }

    [Fact]
    public async Task OneUsersSessionNeverShowsAnothersConfigurationOrPayments()
    {
        var aliceWallet = await Sandbox.CreateWalletAsync("alice-isolated", balanceSat: 5_000);
        await using var alice = await Server.ConnectAsync();
        await using var bob = await Server.ConnectAsync();
        await alice.CallOkAsync("configure_lnbits", new { lnbits_url = Sandbox.Url.AbsoluteUri, api_key = aliceWallet.AdminKey });
        var invoice = await alice.CallOkAsync("create_invoice", new { amount = 10, memo = "alice only" });

        var bobConfig = await bob.CallOkAsync("get_lnbits_configuration");
        Assert.False(bobConfig.GetProperty("is_configured").GetBoolean());
        await bob.CallErrorAsync("get_payments", "not_configured");
        await bob.CallErrorAsync("get_payment_status", "not_configured", new { payment_hash = invoice.GetProperty("payment_hash").GetString() });
        await bob.CallErrorAsync("get_wallet_balance", "session_not_found", new { session_id = "guessed-session-id-AAAAAAAAAAAAAAAAAAAAAAAA" });

        var aliceConfig = await alice.CallOkAsync("get_lnbits_configuration");
        Assert.Equal("***" + aliceWallet.AdminKey[^4..], aliceConfig.GetProperty("api_key").GetString());
        Assert.Equal("session", aliceConfig.GetProperty("source").GetString());
        Assert.DoesNotContain(aliceWallet.AdminKey, aliceConfig.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForPaymentReportsProgressUntilTheInvoiceIsPaid()
    {
        var wallet = await Sandbox.CreateWalletAsync("waiting", 0);
        await using var client = await Server.ConnectAsync();
        await client.CallOkAsync("configure_lnbits", new { lnbits_url = Sandbox.Url.AbsoluteUri, api_key = wallet.InvoiceKey });
        var invoice = await client.CallOkAsync("create_invoice", new { amount = 42 });
        var hash = invoice.GetProperty("payment_hash").GetString()!;
        var progress = new List<ModelContextProtocol.ProgressNotificationValue>();
        _ = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            using var settled = await Sandbox.Http.PostAsync($"/sandbox/invoices/{hash}/settle", null);
        });

        var result = await client.CallToolAsync("wait_for_payment", new Dictionary<string, object?> { ["payment_hash"] = hash, ["timeout_seconds"] = 20 },
            new SynchronousProgress(progress)).AsTask().WaitAsync(ServerHost.Timeout);

        var waited = result.StructuredContent!.Value;
        Assert.True(waited.GetProperty("paid").GetBoolean());
        Assert.InRange(waited.GetProperty("waited_seconds").GetDouble(), 2, 15);
        Assert.True(progress.Count >= 2, $"{progress.Count} progress notifications");
        Assert.Equal(20, progress[0].Total);
        Assert.Equal(42_000, await Sandbox.BalanceMsatAsync(wallet));
    }

    private sealed class SynchronousProgress(List<ModelContextProtocol.ProgressNotificationValue> values) : IProgress<ModelContextProtocol.ProgressNotificationValue>
    {
        public void Report(ModelContextProtocol.ProgressNotificationValue value)
        {
            lock (values)
            {
                values.Add(value);
            }
        }
    }

    private static JsonElement Payment(JsonElement list, string hash) =>
        list.GetProperty("payments").EnumerateArray().Single(p => p.GetProperty("payment_hash").GetString() == hash);
}
