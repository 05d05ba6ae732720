using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LnbitsMcp.Testing;
using Microsoft.AspNetCore.WebUtilities;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;

namespace LnbitsMcp.Server.Tests.OAuth;

/// <summary>
/// The whole OAuth flow as Claude, ChatGPT and the SDK clients run it: 401 → metadata → registration (dynamic
/// or a client metadata document) → a person on the connect page in a real browser → code with iss → tokens
/// that use the wallet and limits chosen there; and everything that must be refused.
/// </summary>
public sealed class OAuthConnectionTests(OAuthStack stack) : IClassFixture<OAuthStack>
{
    private Uri Server => stack.Server.Url;

    [Fact]
    public async Task MetadataDescribesTheResourceAndTheAuthorizationServer()
    {
        using var http = new HttpClient { BaseAddress = Server };
        foreach (var path in new[] { "/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp" })
        {
            var resource = await http.GetFromJsonAsync<JsonElement>(path);
            Assert.Equal(new Uri(Server, "/mcp").AbsoluteUri, resource.GetProperty("resource").GetString());
            Assert.Equal(Server.AbsoluteUri.TrimEnd('/'), resource.GetProperty("authorization_servers")[0].GetString());
            Assert.Equal(["wallet:read", "wallet:pay"], resource.GetProperty("scopes_supported").EnumerateArray().Select(s => s.GetString()));
            Assert.Equal(["header"], resource.GetProperty("bearer_methods_supported").EnumerateArray().Select(s => s.GetString()));
        }

        var server = await http.GetFromJsonAsync<JsonElement>("/.well-known/oauth-authorization-server");
        Assert.Equal(Server.AbsoluteUri.TrimEnd('/'), server.GetProperty("issuer").GetString());
        Assert.EndsWith("/oauth/authorize", server.GetProperty("authorization_endpoint").GetString());
        Assert.EndsWith("/oauth/token", server.GetProperty("token_endpoint").GetString());
        Assert.EndsWith("/oauth/register", server.GetProperty("registration_endpoint").GetString());
        Assert.EndsWith("/oauth/revoke", server.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(["S256"], server.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(s => s.GetString()));
        Assert.True(server.GetProperty("client_id_metadata_document_supported").GetBoolean());
        Assert.True(server.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
        var methods = server.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Contains("none", methods);
        Assert.Contains("client_secret_basic", methods);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/.well-known/openid-configuration")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/.well-known/oauth-protected-resource/other")).StatusCode);
    }

    [Fact]
    public async Task CSharpClientConnectsByDynamicRegistrationAndUsesTheWalletAndLimitsFromThePage()
    {
        var wallet = await stack.Sandbox.CreateWalletAsync("csharp-dcr", 50_000);
        await using var profile = await stack.Browser.NewProfileAsync();
        var page = await profile.NewPageAsync();
        AuthorizationResult? seen = null;
        await using var client = await ConnectWithSdkAsync(new ClientOAuthOptions
        {
            RedirectUri = new Uri(OAuthFlow.RedirectUri),
            DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = "C# SDK client" },
            AuthorizationCallbackHandler = async (context, _) => seen = await ConsentAsync(page, context.AuthorizationUri,
                new WalletChoice(stack.Sandbox.Url, wallet.AdminKey, MaxPaymentSats: "500")),
        });

        Assert.Equal(Server.AbsoluteUri.TrimEnd('/'), seen!.Iss);
        var info = await client.CallOkAsync("get_session_info");
        Assert.Equal("oauth", info.GetProperty("auth").GetString());
        Assert.Equal(["wallet:read", "wallet:pay"], info.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.True(info.GetProperty("is_configured").GetBoolean());
        var balance = await client.CallOkAsync("get_wallet_balance");
        Assert.Equal(50_000, balance.GetProperty("balance_sat").GetInt64());

        var (bolt11, _) = await stack.Sandbox.ExternalInvoiceAsync(1_000);
        await client.CallErrorAsync("pay_invoice", "limit_exceeded", new { bolt11 });
        var (small, _) = await stack.Sandbox.ExternalInvoiceAsync(200);
        var paid = await client.CallOkAsync("pay_invoice", new { bolt11 = small });
        Assert.Equal("success", paid.GetProperty("status").GetString());
        await client.CallErrorAsync("configure_lnbits", "invalid_argument", new { lnbits_url = stack.Sandbox.Url.AbsoluteUri, api_key = wallet.AdminKey });
    }

    [Fact]
    public async Task CSharpClientConnectsWithAClientMetadataDocumentAndAnInvoiceKeyOnlyReads()
    {
        var wallet = await stack.Sandbox.CreateWalletAsync("csharp-cimd", 7_000);
        await using var profile = await stack.Browser.NewProfileAsync();
        var page = await profile.NewPageAsync();
        string? clientNameShown = null;
        await using var client = await ConnectWithSdkAsync(new ClientOAuthOptions
        {
            RedirectUri = new Uri(OAuthFlow.RedirectUri),
            ClientMetadataDocumentUri = new Uri(stack.Documents.ClientId),
            AuthorizationCallbackHandler = async (context, _) =>
            {
                Assert.Equal(stack.Documents.ClientId, QueryHelpers.ParseQuery(context.AuthorizationUri.Query)["client_id"].ToString());
                var result = await ConsentAsync(page, context.AuthorizationUri, new WalletChoice(stack.Sandbox.Url, wallet.InvoiceKey), async p =>
                    clientNameShown = await p.Locator("main p strong").First.InnerTextAsync());
                return result;
            },
        });

        Assert.Equal("Document Client", clientNameShown);
        var info = await client.CallOkAsync("get_session_info");
        Assert.Equal(["wallet:read"], info.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(7_000, (await client.CallOkAsync("get_wallet_balance")).GetProperty("balance_sat").GetInt64());
        var invoice = await client.CallOkAsync("create_invoice", new { amount = 10 });
        Assert.StartsWith("lnbcrt", invoice.GetProperty("bolt11").GetString());
        var tools = await client.ListToolsAsync();
        Assert.StartsWith("[Unavailable", tools.Single(t => t.Name == "pay_invoice").Description);
        Assert.DoesNotContain("[Unavailable", tools.Single(t => t.Name == "get_wallet_balance").Description);
    }

    [Fact]
    public async Task AReadOnlyConnectionGets403InsufficientScopeForAPayingTool()
    {
        var wallet = await stack.Sandbox.CreateWalletAsync("read-only-box", 5_000);
        await using var profile = await stack.Browser.NewProfileAsync();
        var flow = stack.Flow();
        var (_, access, _) = await flow.ConnectAsync(await profile.NewPageAsync(), new WalletChoice(stack.Sandbox.Url, wallet.AdminKey, ReadOnly: true));
        var (bolt11, _) = await stack.Sandbox.ExternalInvoiceAsync(10);

        using var response = await PostMcpAsync(access, """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"pay_invoice","arguments":{"bolt11":"BOLT"}}}""".Replace("BOLT", bolt11, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("error=\"insufficient_scope\"", challenge);
        Assert.Contains("scope=\"wallet:read wallet:pay\"", challenge);
        Assert.Contains($"resource_metadata=\"{Server.AbsoluteUri.TrimEnd('/')}/.well-known/oauth-protected-resource/mcp\"", challenge);
        Assert.Equal(5_000_000, await stack.Sandbox.BalanceMsatAsync(wallet));

        using var reading = await PostMcpAsync(access, """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_wallet_balance","arguments":{}}}""");
        Assert.Equal(HttpStatusCode.OK, reading.StatusCode);
        Assert.Contains("5000", await reading.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("missing")]
    [InlineData("unregistered-redirect")]
    [InlineData("unknown-client")]
    [InlineData("other-resource")]
    public async Task RefusedAuthorizationRequestsShowAnErrorPageAndRedirectNowhere(string fault)
    {
        var flow = stack.Flow();
        var clientId = fault == "unknown-client" ? "mcp_unknown" : await flow.RegisterAsync();
        var url = fault switch
        {
            "plain" => flow.AuthorizeUrl(clientId, challengeMethod: "plain"),
            "missing" => flow.AuthorizeUrl(clientId, challengeMethod: null),
            "unregistered-redirect" => flow.AuthorizeUrl(clientId, redirectUri: "https://attacker.example/callback"),
            "other-resource" => flow.AuthorizeUrl(clientId, resource: "https://other.example/mcp"),
            _ => flow.AuthorizeUrl(clientId),
        };

        using var response = await flow.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task AReplayedCodeIsRefusedAndRevokesWhatTheFirstRedemptionGave()
    {
        var wallet = await stack.Sandbox.CreateWalletAsync("replay", 1_000);
        await using var profile = await stack.Browser.NewProfileAsync();
        var flow = stack.Flow();
        var clientId = await flow.RegisterAsync();
        var result = await OAuthFlow.ConsentAsync(await profile.NewPageAsync(), flow.AuthorizeUrl(clientId), new WalletChoice(stack.Sandbox.Url, wallet.AdminKey));
        Assert.Equal("state-1", result["state"]);
        Assert.Equal(Server.AbsoluteUri.TrimEnd('/'), result["iss"]);

        using var wrongVerifier = await flow.RedeemAsync(clientId, result["code"], verifier: System.Buffers.Text.Base64Url.EncodeToString(new byte[32]));
        Assert.Equal(HttpStatusCode.BadRequest, wrongVerifier.StatusCode);
        using var first = await flow.RedeemAsync(clientId, result["code"]);
        var tokens = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(first.IsSuccessStatusCode, tokens.ToString());
        Assert.InRange(tokens.GetProperty("expires_in").GetInt32(), 3500, 3600);
        var access = tokens.GetProperty("access_token").GetString()!;
        using (var works = await PostMcpAsync(access, ToolsList))
        {
            Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        }

        using var replay = await flow.RedeemAsync(clientId, result["code"]);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        using var revoked = await PostMcpAsync(access, ToolsList);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task RefreshTokensRotateAndAReusedOneRevokesTheConnection()
    {
        var wallet = await stack.Sandbox.CreateWalletAsync("rotate", 1_000);
        await using var profile = await stack.Browser.NewProfileAsync();
        var flow = stack.Flow();
        var (clientId, _, refresh) = await flow.ConnectAsync(await profile.NewPageAsync(), new WalletChoice(stack.Sandbox.Url, wallet.AdminKey));

        using var rotated = await flow.RefreshAsync(clientId, refresh);
        var body = await rotated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(rotated.IsSuccessStatusCode, body.ToString());
        var newAccess = body.GetProperty("access_token").GetString()!;
        Assert.NotEqual(refresh, body.GetProperty("refresh_token").GetString());
        using (var works = await PostMcpAsync(newAccess, ToolsList))
        {
            Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        }

        using var reused = await flow.RefreshAsync(clientId, refresh);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        using var after = await PostMcpAsync(newAccess, ToolsList);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task GarbageTokensAndTokensForAnotherAudienceGet401WithTheChallenge()
    {
        using var garbage = await PostMcpAsync("not-a-token", ToolsList);
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
        var challenge = garbage.Headers.WwwAuthenticate.ToString();
        Assert.Contains($"resource_metadata=\"{Server.AbsoluteUri.TrimEnd('/')}/.well-known/oauth-protected-resource/mcp\"", challenge);
        Assert.Contains("scope=\"wallet:read wallet:pay\"", challenge);
        Assert.Contains("error=\"invalid_token\"", challenge);

        // A token issued at 127.0.0.1 names http://127.0.0.1:port/mcp; presented at localhost it is for another resource.
        var wallet = await stack.Sandbox.CreateWalletAsync("audience", 1_000);
        await using var profile = await stack.Browser.NewProfileAsync();
        var (_, access, _) = await stack.Flow().ConnectAsync(await profile.NewPageAsync(), new WalletChoice(stack.Sandbox.Url, wallet.AdminKey));
        var elsewhere = new UriBuilder(Server) { Host = "localhost" }.Uri;
        using var http = new HttpClient { BaseAddress = elsewhere };
        using var request = McpRequest(access, ToolsList);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("another resource", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AConsentPostWithoutTheAntiforgeryTokenIsRefusedAndConnectsNothing()
    {
        var flow = stack.Flow();
        var clientId = await flow.RegisterAsync();
        var wallet = await stack.Sandbox.CreateWalletAsync("csrf", 1_000);
        using var forged = await flow.Http.PostAsync("/oauth/consent", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = OAuthFlow.RedirectUri,
            ["code_challenge"] = flow.Challenge,
            ["code_challenge_method"] = "S256",
            ["lnbits_url"] = stack.Sandbox.Url.AbsoluteUri,
            ["api_key"] = wallet.AdminKey,
            ["action"] = "allow",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(forged.Headers.Location);
        Assert.Contains("Form refused", await forged.Content.ReadAsStringAsync());

        // The same post from another site in a browser carries that site's Origin: refused before the form is read.
        await using var profile = await stack.Browser.NewProfileAsync();
        var page = await profile.NewPageAsync();
        await page.GotoAsync(new Uri(stack.Sandbox.Url, "/api/v1/health").AbsoluteUri);
        var status = await page.EvaluateAsync<int>($$"""
            async () => (await fetch('{{new Uri(Server, "/oauth/consent").AbsoluteUri}}', { method: 'POST', mode: 'no-cors',
              body: new URLSearchParams({ client_id: '{{clientId}}', action: 'allow' }) })).status
            """);
        Assert.Equal(0, status); // opaque: the browser got no redirect it could follow
        await using var owner = await stack.Browser.NewProfileAsync();
        var connections = await owner.NewPageAsync();
        await connections.GotoAsync(new Uri(Server, "/connections").AbsoluteUri);
        Assert.Contains("no connections", await connections.InnerTextAsync("main"));
    }

    [Fact]
    public async Task AClientNameWithMarkupIsShownAsText()
    {
        var flow = stack.Flow();
        var clientId = await flow.RegisterAsync("<script>alert(1)</script><b>Evil</b>");
        await using var profile = await stack.Browser.NewProfileAsync();
        var page = await profile.NewPageAsync();
        await page.GotoAsync(flow.AuthorizeUrl(clientId).AbsoluteUri);
        Assert.Equal("<script>alert(1)</script><b>Evil</b>", await page.Locator("main p strong").First.InnerTextAsync());
        Assert.Equal(0, await page.Locator("main script").CountAsync());
        Assert.Equal(0, await page.Locator("main b").CountAsync());
        Assert.Equal("127.0.0.1:9", await page.Locator("main p strong").Nth(1).InnerTextAsync());
        var form = page.Locator("form");
        Assert.Equal(1, await form.Locator("input[name=__RequestVerificationToken]").CountAsync());
        foreach (var field in new[] { "lnbits_url", "auth_method", "api_key", "bearer_token", "username", "password", "wallet_id", "max_payment_sats", "daily_budget_sats", "confirm_above_sats", "read_only" })
        {
            Assert.Equal(1, await form.Locator($"[name={field}]").CountAsync());
            Assert.Equal(1, await page.Locator($"label[for={field}]").CountAsync());
        }
    }

    [Fact]
    public async Task ClientMetadataDocumentsTooLargeOrTooSlowAreRefused()
    {
        var flow = stack.Flow();
        foreach (var clientId in new[] { stack.Documents.LargeClientId, stack.Documents.SlowClientId })
        {
            using var response = await flow.Http.GetAsync(flow.AuthorizeUrl(clientId));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Contains("unknown", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task AWrongKeyComesBackWithLnbitsMessageAndConnectsNothing()
    {
        await using var profile = await stack.Browser.NewProfileAsync();
        var page = await profile.NewPageAsync();
        var flow = stack.Flow();
        var clientId = await flow.RegisterAsync();
        await page.GotoAsync(flow.AuthorizeUrl(clientId).AbsoluteUri);
        await OAuthFlow.FillAsync(page, new WalletChoice(stack.Sandbox.Url, "0000000000000000wrongkey", MaxPaymentSats: "300"));
        await page.ClickAsync("button[name=action][value=allow]");
        var message = await page.InnerTextAsync("#message");
        Assert.StartsWith("lnbits_unauthorized", message);
        Assert.Equal("300", await page.InputValueAsync("#max_payment_sats"));
        Assert.Equal(string.Empty, await page.InputValueAsync("#api_key"));

        var denied = await Browser.FollowUntilRedirectAsync(page, flow.AuthorizeUrl(clientId, state: "s2"), OAuthFlow.RedirectUri,
            p => p.ClickAsync("button[name=action][value=deny]"));
        var query = QueryHelpers.ParseQuery(denied.Query);
        Assert.Equal("access_denied", query["error"].ToString());
        Assert.Equal("s2", query["state"].ToString());
        var after = await profile.NewPageAsync(); // the first page may still be finishing the caught redirect
        await after.GotoAsync(new Uri(Server, "/connections").AbsoluteUri);
        Assert.Contains("no connections", await after.InnerTextAsync("main"));
    }

    [Fact]
    public async Task TwoBrowsersConnectTwoWalletsThatNeverCrossAndRevokingOneOnThePageStopsOnlyIt()
    {
        var aliceWallet = await stack.Sandbox.CreateWalletAsync("alice-wallet", 3_000);
        var bobWallet = await stack.Sandbox.CreateWalletAsync("bob-wallet", 4_000);
        await using var aliceBrowser = await stack.Browser.NewProfileAsync();
        await using var bobBrowser = await stack.Browser.NewProfileAsync();
        var alicePage = await aliceBrowser.NewPageAsync();
        var (_, alice, _) = await stack.Flow().ConnectAsync(alicePage, new WalletChoice(stack.Sandbox.Url, aliceWallet.AdminKey, DailyBudgetSats: "1000"), "Alice's assistant");
        var (_, bob, _) = await stack.Flow().ConnectAsync(await bobBrowser.NewPageAsync(), new WalletChoice(stack.Sandbox.Url, bobWallet.AdminKey), "Bob's assistant");

        await using var aliceClient = await ConnectWithTokenAsync(alice);
        await using var bobClient = await ConnectWithTokenAsync(bob);
        Assert.Equal("alice-wallet", (await aliceClient.CallOkAsync("get_wallet_details")).GetProperty("name").GetString());
        Assert.Equal("bob-wallet", (await bobClient.CallOkAsync("get_wallet_details")).GetProperty("name").GetString());
        var aliceSession = (await aliceClient.CallOkAsync("create_session")).GetProperty("session_id").GetString();
        await bobClient.CallErrorAsync("get_wallet_balance", "session_not_found", new { session_id = aliceSession });
        Assert.Equal(3_000, (await aliceClient.CallOkAsync("get_wallet_balance", new { session_id = aliceSession })).GetProperty("balance_sat").GetInt64());

        var (over, _) = await stack.Sandbox.ExternalInvoiceAsync(1_500);
        await aliceClient.CallErrorAsync("pay_invoice", "limit_exceeded", new { bolt11 = over });
        var (small, _) = await stack.Sandbox.ExternalInvoiceAsync(100);
        await aliceClient.CallOkAsync("pay_invoice", new { bolt11 = small });

        alicePage = await aliceBrowser.NewPageAsync(); // same browser profile (its cookie), a fresh tab
        await alicePage.GotoAsync(new Uri(Server, "/connections").AbsoluteUri);
        var listed = await alicePage.InnerTextAsync("main");
        Assert.Contains("Alice's assistant", listed);
        Assert.Contains("alice-wallet", listed);
        Assert.Contains("1000 sats per 24 h", listed);
        Assert.Contains("100 sats (wallet: 100)", listed);
        Assert.DoesNotContain("Bob", listed);
        await alicePage.ClickAsync("button[aria-label=\"Revoke Alice's assistant\"]");
        Assert.Contains("revoked", await alicePage.InnerTextAsync("main"));

        using var refused = await PostMcpAsync(alice, ToolsList);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(4_000, (await bobClient.CallOkAsync("get_wallet_balance")).GetProperty("balance_sat").GetInt64());
    }

    [Fact]
    public async Task UsernameAndPasswordWithSeveralWalletsAsksWhichWalletToConnect()
    {
        var user = "multi-" + Guid.NewGuid().ToString("N")[..8];
        await stack.Sandbox.CreateUserAsync(user, "multi-password-1");
        await stack.Sandbox.CreateWalletAsync("first-of-two", 100, user: user);
        var second = await stack.Sandbox.CreateWalletAsync("second-of-two", 222, user: user);
        await using var profile = await stack.Browser.NewProfileAsync();
        var page = await profile.NewPageAsync();
        var flow = stack.Flow();
        var clientId = await flow.RegisterAsync();
        var redirect = await Browser.FollowUntilRedirectAsync(page, flow.AuthorizeUrl(clientId), OAuthFlow.RedirectUri, async p =>
        {
            await p.FillAsync("#lnbits_url", stack.Sandbox.Url.AbsoluteUri);
            await p.SelectOptionAsync("#auth_method", "oauth2");
            await p.FillAsync("#username", user);
            await p.FillAsync("#password", "multi-password-1");
            await p.ClickAsync("button[name=action][value=allow]");
            Assert.Contains("several wallets", await p.InnerTextAsync("#message"));
            Assert.Equal(2, await p.Locator("select#wallet_id option").CountAsync());
            Assert.Equal(string.Empty, await p.InputValueAsync("#password")); // secrets are never filled back in
            await p.SelectOptionAsync("#wallet_id", second.Id);
            await p.FillAsync("#password", "multi-password-1");
            await p.ClickAsync("button[name=action][value=allow]");
        });
        using var redeemed = await flow.RedeemAsync(clientId, QueryHelpers.ParseQuery(redirect.Query)["code"].ToString());
        var access = (await redeemed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        await using var client = await ConnectWithTokenAsync(access);
        Assert.Equal(222, (await client.CallOkAsync("get_wallet_balance")).GetProperty("balance_sat").GetInt64());
        Assert.Equal("oauth2", (await client.CallOkAsync("get_lnbits_configuration")).GetProperty("auth_method").GetString());
    }

    [Fact]
    public async Task LegacySseWithATokenUsesItsConnection()
    {
        var wallet = await stack.Sandbox.CreateWalletAsync("sse-wallet", 2_500);
        await using var profile = await stack.Browser.NewProfileAsync();
        var (_, access, _) = await stack.Flow().ConnectAsync(await profile.NewPageAsync(), new WalletChoice(stack.Sandbox.Url, wallet.AdminKey));
        await using var client = await ConnectWithTokenAsync(access, HttpTransportMode.Sse);
        Assert.Equal(2_500, (await client.CallOkAsync("get_wallet_balance")).GetProperty("balance_sat").GetInt64());
        Assert.Equal("oauth", (await client.CallOkAsync("get_session_info")).GetProperty("auth").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheTypeScriptSdkClientConnectsAndUsesTheWallet(bool withMetadataDocument)
    {
        var wallet = await stack.Sandbox.CreateWalletAsync("ts-wallet", 6_000);
        await using var profile = await stack.Browser.NewProfileAsync();
        var page = await profile.NewPageAsync();
        var result = await TypeScriptOAuthClient.RunAsync(new Uri(Server, "/mcp"), OAuthFlow.RedirectUri,
            withMetadataDocument ? stack.Documents.ClientId : null,
            async authorize => (await ConsentAsync(page, authorize, new WalletChoice(stack.Sandbox.Url, wallet.AdminKey))).Code!);

        Assert.True(result.GetProperty("unauthorized").GetBoolean());
        Assert.True(result.GetProperty("has_refresh_token").GetBoolean());
        if (withMetadataDocument)
        {
            Assert.Equal(stack.Documents.ClientId, result.GetProperty("registered_client_id").GetString());
        }
        else
        {
            Assert.StartsWith("mcp_", result.GetProperty("registered_client_id").GetString());
        }

        Assert.Equal("oauth", result.GetProperty("info").GetProperty("structured").GetProperty("auth").GetString());
        Assert.Equal(6_000, result.GetProperty("balance").GetProperty("structured").GetProperty("balance_sat").GetInt64());
    }

    private const string ToolsList = """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""";

    private static Task<AuthorizationResult> ConsentAsync(Microsoft.Playwright.IPage page, Uri authorizeUrl, WalletChoice wallet, Func<Microsoft.Playwright.IPage, Task>? look = null) =>
        ConsentCoreAsync(page, authorizeUrl, wallet, look);

    private static async Task<AuthorizationResult> ConsentCoreAsync(Microsoft.Playwright.IPage page, Uri authorizeUrl, WalletChoice wallet, Func<Microsoft.Playwright.IPage, Task>? look)
    {
        var redirect = await Browser.FollowUntilRedirectAsync(page, authorizeUrl, OAuthFlow.RedirectUri, async p =>
        {
            if (look is not null)
            {
                await look(p);
            }

            await OAuthFlow.FillAsync(p, wallet);
            await p.ClickAsync("button[name=action][value=allow]");
        });
        var query = QueryHelpers.ParseQuery(redirect.Query);
        return new AuthorizationResult { Code = query["code"], State = query.GetValueOrDefault("state"), Iss = query["iss"] };
    }

    private async Task<McpClient> ConnectWithSdkAsync(ClientOAuthOptions oauth)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(Server, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            OAuth = oauth,
        });
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" }).WaitAsync(TimeSpan.FromSeconds(90));
    }

    private async Task<McpClient> ConnectWithTokenAsync(string accessToken, HttpTransportMode mode = HttpTransportMode.StreamableHttp)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(Server, mode == HttpTransportMode.Sse ? "/sse" : "/mcp"),
            TransportMode = mode,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + accessToken },
        });
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" }).WaitAsync(TimeSpan.FromSeconds(60));
    }

    private Task<HttpResponseMessage> PostMcpAsync(string accessToken, string json) => McpHttp.PostAsync(Server, accessToken, json);

    private static HttpRequestMessage McpRequest(string accessToken, string json) => McpHttp.Request(accessToken, json);
}
