using System.Net.Http.Json;
using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.Rest;

/// <summary>pay_l402 through the REST debug route with per-request header credentials: the credential is kept per header credential and origin.</summary>
public sealed class RestPayL402Tests : SandboxServerTests
{
    private readonly HttpClient _http = new() { Timeout = RestToolCalls.Timeout };

    public override async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task HeaderCredentialsPayOnceAndTheNextRequestReusesTheCredential()
    {
        var wallet = await Sandbox.CreateWalletAsync("rest-l402", 1_000);
        var other = await Sandbox.CreateWalletAsync("rest-l402-other", 1_000);
        var url = new Uri(Sandbox.Url, "/sandbox/l402/rest-resource").AbsoluteUri;

        var paid = (await _http.CallToolAsync(Server.Url, "pay_l402", new { url, max_sats = 10 }, RestToolCalls.LnbitsHeaders(Sandbox.Url, wallet.AdminKey))).Ok();
        var reused = (await _http.CallToolAsync(Server.Url, "pay_l402", new { url, max_sats = 10 }, RestToolCalls.LnbitsHeaders(Sandbox.Url, wallet.AdminKey))).Ok();
        var otherWallet = (await _http.CallToolAsync(Server.Url, "pay_l402", new { url, max_sats = 10 }, RestToolCalls.LnbitsHeaders(Sandbox.Url, other.AdminKey))).Ok();
        var stats = (await Sandbox.Http.GetFromJsonAsync<JsonElement>("/sandbox/l402-stats")).GetProperty("rest-resource");

        Assert.Equal("paid", paid.GetProperty("credential").GetString());
        Assert.Equal("cached", reused.GetProperty("credential").GetString());
        Assert.Equal("paid", otherWallet.GetProperty("credential").GetString()); // never another caller's credential
        Assert.Equal(2, stats.GetProperty("challenges").GetInt64());
        Assert.Equal(3, stats.GetProperty("served").GetInt64());
    }
}
