using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.OAuth;

/// <summary>
/// Two server processes sharing one real Redis behind the real edge: a flow that starts on one instance ends
/// on the other (keys, codes, clients and connections are shared), and revoking on one stops the tokens on both.
/// </summary>
public sealed class CrossInstanceTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private Sandbox _sandbox = null!;
    private ServiceProcess _server0 = null!;
    private ServiceProcess _server1 = null!;
    private ServiceProcess _edge = null!;
    private Browser _browser = null!;
    private Uri _public = null!;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _sandbox = await Sandbox.StartAsync();
        var edgePort = ServiceProcess.FreePort();
        _public = new Uri($"http://127.0.0.1:{edgePort}");
        var settings = new Dictionary<string, string?> { ["Auth__Mode"] = "required", ["Auth__PublicUrl"] = _public.AbsoluteUri };
        _server0 = await Replicas.ServerReplicas.StartAsync("server0", _redis, settings);
        _server1 = await Replicas.ServerReplicas.StartAsync("server1", _redis, settings);
        _edge = await ServiceProcess.StartAsync("LnbitsMcp.Edge", [], new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = _public.AbsoluteUri,
            ["ConnectionStrings__redis"] = _redis.ConnectionString,
            ["ReverseProxy__Clusters__servers__Destinations__server0__Address"] = _server0.Url.AbsoluteUri,
            ["ReverseProxy__Clusters__servers__Destinations__server1__Address"] = _server1.Url.AbsoluteUri,
        });
        _browser = await Browser.StartAsync();
    }

    [Fact]
    public async Task AFlowStartedOnOneInstanceEndsOnTheOtherAndRevokingStopsBoth()
    {
        var wallet = await _sandbox.CreateWalletAsync("cross", 12_000);
        await using var profile = await _browser.NewProfileAsync();
        var page = await profile.NewPageAsync();

        // Registered and consented on server0 …
        var onFirst = new OAuthFlow(_server0.Url);
        var clientId = await onFirst.RegisterAsync("Cross-instance client");
        var consent = await OAuthFlow.ConsentAsync(page, onFirst.AuthorizeUrl(clientId, resource: new Uri(_public, "/mcp").AbsoluteUri),
            new WalletChoice(_sandbox.Url, wallet.AdminKey));
        Assert.Equal(_public.AbsoluteUri.TrimEnd('/'), consent["iss"]);

        // … redeemed on server1 with the same verifier, used on server1 and through the edge.
        var onSecond = new OAuthFlow(_server1.Url);
        using var redeemed = await onSecond.Http.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = consent["code"],
            ["redirect_uri"] = OAuthFlow.RedirectUri,
            ["client_id"] = clientId,
            ["code_verifier"] = onFirst.Verifier,
        }));
        var tokens = await redeemed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(redeemed.IsSuccessStatusCode, tokens.ToString());
        var access = tokens.GetProperty("access_token").GetString()!;
        foreach (var server in new[] { _server1.Url, _public, _server0.Url })
        {
            using var balance = await McpHttp.PostAsync(server, access, """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_wallet_balance","arguments":{}}}""");
            Assert.Equal(HttpStatusCode.OK, balance.StatusCode);
            Assert.Contains("12000", await balance.Content.ReadAsStringAsync());
        }

        // The page and the token endpoint through the edge, too.
        using var edgeHttp = new HttpClient { BaseAddress = _public };
        Assert.Equal(HttpStatusCode.OK, (await edgeHttp.GetAsync("/.well-known/oauth-protected-resource/mcp")).StatusCode);
        page = await profile.NewPageAsync(); // same browser profile (its cookie), a fresh tab
        await page.GotoAsync(new Uri(_public, "/connections").AbsoluteUri);
        Assert.Contains("Cross-instance client", await page.InnerTextAsync("main"));

        // Revoked on server0 (RFC 7009) just after server1 found the connection live: the next request with the token
        // is refused on both instances, server1's earlier confirmation included.
        using (var live = await McpHttp.PostAsync(_server1.Url, access, McpHttp.ToolsList))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        using var revoke = await onFirst.Http.PostAsync("/oauth/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = tokens.GetProperty("refresh_token").GetString()!,
            ["token_type_hint"] = "refresh_token",
            ["client_id"] = clientId,
        }));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        foreach (var server in new[] { _server1.Url, _server0.Url, _public })
        {
            using var refused = await McpHttp.PostAsync(server, access, McpHttp.ToolsList);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _edge.DisposeAsync();
        await _server1.DisposeAsync();
        await _server0.DisposeAsync();
        await _sandbox.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
