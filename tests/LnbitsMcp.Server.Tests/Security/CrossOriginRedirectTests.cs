using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.Security;

/// <summary>An LNbits that redirects to another origin never gets to hand the API key there.</summary>
public sealed class TheLnbitsKeyNeverFollowsARedirectToAnotherOrigin(LoopbackHttpServer lnbits) : IClassFixture<LoopbackHttpServer>, IAsyncLifetime
{
    private ServerHost _server = null!;

    public async ValueTask InitializeAsync() => _server = await ServerHost.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ACrossOriginRedirectIsRefusedWithLnbitsErrorAndTheOtherHostGetsNoKey()
    {
        const string Key = "cross-origin-admin-key-0123456789abcdef";
        await using var client = await _server.ConnectAsync();
        var seenBefore = lnbits.ApiKeysSeen.Count;

        var error = await client.CallErrorAsync("configure_lnbits", "lnbits_error", new { lnbits_url = lnbits.Url("/lnbits-moved/").AbsoluteUri, api_key = Key });

        Assert.Contains("redirect to another origin", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(seenBefore, lnbits.ApiKeysSeen.Count);
        Assert.DoesNotContain(Key, lnbits.ApiKeysSeen);
    }

    [Fact]
    public async Task ASameOriginRedirectIsFollowedWithTheKey()
    {
        const string Key = "same-origin-admin-key-0123456789abcdef";
        await using var client = await _server.ConnectAsync();

        var configured = await client.CallOkAsync("configure_lnbits", new { lnbits_url = lnbits.Url("/lnbits-same/").AbsoluteUri, api_key = Key });

        Assert.Equal("Elsewhere", configured.GetProperty("wallet_name").GetString());
        Assert.Contains(Key, lnbits.ApiKeysSeen);
    }
}
