using System.Net;
using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.Rest;

/// <summary>The route as the seed's operators run it (<c>--single-user</c>), and switched off.</summary>
public sealed class RestToolSettingsTests
{
    [Fact]
    public async Task TheSeedsCurlLineVerbatimTestsTheOperatorsWalletInSingleUserMode()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var wallet = await sandbox.CreateWalletAsync("operator", 777);
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Server:SingleUser"] = "true",
            ["LNBITS_URL"] = sandbox.Url.AbsoluteUri,
            ["LNBITS_API_KEY"] = wallet.AdminKey,
        });

        var curl = await ExternalCommand.RunAsync("curl",
        [
            "-sS", "-X", "POST", new Uri(server.Url, "/tools/test_lnbits_configuration").AbsoluteUri,
            "-H", "Content-Type: application/json",
            "-d", """{"name": "test_lnbits_configuration", "arguments": {}}""",
        ], RestToolCalls.Timeout);

        var body = JsonDocument.Parse(curl.EnsureSuccess().Output).RootElement;
        Assert.False(body.GetProperty("isError").GetBoolean());
        Assert.True(body.GetProperty("structuredContent").GetProperty("ok").GetBoolean());
        Assert.Equal("operator", body.GetProperty("structuredContent").GetProperty("wallet_name").GetString());
        Assert.DoesNotContain(wallet.AdminKey, curl.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithEnableRestToolsFalseTheRouteIs404AndMcpStillServes()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Http:EnableRestTools"] = "false" });
        using var http = new HttpClient { Timeout = RestToolCalls.Timeout };

        var answer = await http.CallToolAsync(server.Url, "get_session_info");
        await using var client = await server.ConnectAsync();

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.True((await client.CallOkAsync("get_session_info")).GetProperty("bound_to_transport").GetBoolean());
    }
}
