using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.E2e;

/// <summary>The official TypeScript MCP SDK client (npm) against the server, over /mcp and /sse.</summary>
public sealed class TypeScriptClientTests : SandboxServerTests
{
    [Theory]
    [InlineData("streamable", "/mcp")]
    [InlineData("sse", "/sse")]
    public async Task TheTypeScriptClientRunsTheWalletStory(string mode, string path)
    {
        var wallet = await Sandbox.CreateWalletAsync("ts-" + mode, 777);

        var seen = await TypeScriptClient.RunAsync(new Uri(Server.Url, path), mode, Sandbox.Url, wallet.AdminKey);

        TypeScriptScenario.AssertWalletStory(seen, expectedBalanceSat: 777);
    }
}

/// <summary>What the TypeScript scenario must have seen, wherever it ran.</summary>
public static class TypeScriptScenario
{
    public static void AssertWalletStory(JsonElement seen, long expectedBalanceSat)
    {
        Assert.Contains("pay_lightning_address", seen.GetProperty("toolNames").EnumerateArray().Select(t => t.GetString()));
        Assert.True(seen.GetProperty("info").GetProperty("bound_to_transport").GetBoolean());
        Assert.Equal("admin", seen.GetProperty("configured").GetProperty("key_type").GetString());
        Assert.Equal(expectedBalanceSat, seen.GetProperty("balance").GetProperty("balance_sat").GetInt64());
        Assert.Equal(21, seen.GetProperty("invoice").GetProperty("amount_sat").GetInt64());
        Assert.Equal(["image/png"], seen.GetProperty("imageTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(21_000, seen.GetProperty("decoded").GetProperty("amount_msat").GetInt64());
        var bad = seen.GetProperty("badArgument");
        Assert.True(bad.GetProperty("isError").GetBoolean());
        Assert.Equal("invalid_argument", bad.GetProperty("structured").GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("dry_run", seen.GetProperty("dryRun").GetProperty("status").GetString());
        var others = seen.GetProperty("others");
        foreach (var tool in new[] { "create_session", "get_lnbits_configuration", "test_lnbits_configuration", "check_connection", "get_wallet_details", "get_payments", "get_payment_status", "wait_for_payment", "pay_l402", "set_payment_limits" })
        {
            Assert.Equal("ok", others.GetProperty(tool).GetString());
        }

        Assert.Equal("lnurl_error", others.GetProperty("pay_lightning_address").GetString());
        Assert.Equal("invalid_invoice", others.GetProperty("decode_invoice").GetString());
    }
}
