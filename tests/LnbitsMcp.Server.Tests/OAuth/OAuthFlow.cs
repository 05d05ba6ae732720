using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LnbitsMcp.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace LnbitsMcp.Server.Tests.OAuth;

/// <summary>What a person enters on the connect page.</summary>
public sealed record WalletChoice(Uri LnbitsUrl, string Key, string? MaxPaymentSats = null, bool ReadOnly = false, string? DailyBudgetSats = null, string? DenyPayees = null);

/// <summary>
/// A hand-driven OAuth client (raw HTTP, PKCE S256) and the person in the browser, for the tests that need
/// to see or bend each step: registration, the authorize URL, the connect page, the code, the token.
/// </summary>
public sealed class OAuthFlow(Uri server)
{
    public const string RedirectUri = ClientDocumentHost.RedirectUri;

    public HttpClient Http { get; } = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };

    public string Verifier { get; } = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public string Challenge => System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    public async Task<string> RegisterAsync(string name = "Test Client", string redirectUri = RedirectUri)
    {
        using var response = await Http.PostAsJsonAsync("/oauth/register", new { client_name = name, redirect_uris = new[] { redirectUri }, token_endpoint_auth_method = "none" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_id").GetString()!;
    }

    public Uri AuthorizeUrl(string clientId, string? challengeMethod = "S256", string redirectUri = RedirectUri, string? resource = null, string state = "state-1")
    {
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = "wallet:read wallet:pay",
            ["state"] = state,
            ["resource"] = resource ?? new Uri(server, "/mcp").AbsoluteUri,
        };
        if (challengeMethod is not null)
        {
            query["code_challenge"] = challengeMethod == "plain" ? Verifier : Challenge;
            query["code_challenge_method"] = challengeMethod;
        }

        return new Uri(QueryHelpers.AddQueryString(new Uri(server, "/oauth/authorize").AbsoluteUri, query));
    }

    /// <summary>The person fills the connect page and allows; returns the redirect's query (code, state, iss).</summary>
    public static async Task<Dictionary<string, string>> ConsentAsync(IPage page, Uri authorizeUrl, WalletChoice wallet, string redirectUri = RedirectUri)
    {
        var redirect = await Browser.FollowUntilRedirectAsync(page, authorizeUrl, redirectUri, async p =>
        {
            await FillAsync(p, wallet);
            await p.ClickAsync("button[name=action][value=allow]");
        });
        return QueryHelpers.ParseQuery(redirect.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    public static async Task FillAsync(IPage page, WalletChoice wallet)
    {
        await page.FillAsync("#lnbits_url", wallet.LnbitsUrl.AbsoluteUri);
        await page.SelectOptionAsync("#auth_method", "api_key_header");
        await page.FillAsync("#api_key", wallet.Key);
        if (wallet.MaxPaymentSats is not null)
        {
            await page.FillAsync("#max_payment_sats", wallet.MaxPaymentSats);
        }

        if (wallet.DailyBudgetSats is not null)
        {
            await page.FillAsync("#daily_budget_sats", wallet.DailyBudgetSats);
        }

        if (wallet.DenyPayees is not null)
        {
            await page.FillAsync("#deny_payees", wallet.DenyPayees);
        }

        if (wallet.ReadOnly)
        {
            await page.CheckAsync("#read_only");
        }
    }

    public async Task<HttpResponseMessage> RedeemAsync(string clientId, string code, string? verifier = null) =>
        await Http.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["client_id"] = clientId,
            ["code_verifier"] = verifier ?? Verifier,
            ["resource"] = new Uri(server, "/mcp").AbsoluteUri,
        }));

    public async Task<HttpResponseMessage> RefreshAsync(string clientId, string refreshToken) =>
        await Http.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = clientId,
        }));

    /// <summary>Register, consent in the browser, redeem: the tokens of a new connection.</summary>
    public async Task<(string ClientId, string AccessToken, string RefreshToken)> ConnectAsync(IPage page, WalletChoice wallet, string name = "Test Client")
    {
        var clientId = await RegisterAsync(name);
        var result = await ConsentAsync(page, AuthorizeUrl(clientId), wallet);
        var tokens = await RedeemOkAsync(clientId, result["code"]);
        return (clientId, tokens.GetProperty("access_token").GetString()!, tokens.GetProperty("refresh_token").GetString()!);
    }

    /// <summary>Register, consent over plain HTTP, redeem: the client id and the token response (access and refresh tokens) of a new connection.</summary>
    public async Task<(string ClientId, JsonElement Tokens)> ConnectOverHttpAsync(WalletChoice wallet)
    {
        var clientId = await RegisterAsync();
        var code = await ConsentOverHttpAsync(clientId, wallet);
        return (clientId, await RedeemOkAsync(clientId, code));
    }

    /// <summary>Redeems the code, which must succeed: the token response.</summary>
    private async Task<JsonElement> RedeemOkAsync(string clientId, string code)
    {
        using var redeemed = await RedeemAsync(clientId, code);
        var tokens = await redeemed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(redeemed.IsSuccessStatusCode, tokens.ToString());
        return tokens;
    }

    /// <summary>The connect page driven by plain HTTP with a cookie jar (no browser): GET the page, post the form with its anti-forgery token, follow to the code.</summary>
    public async Task<string> ConsentOverHttpAsync(string clientId, WalletChoice wallet)
    {
        using var browserless = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = server };
        var page = await browserless.GetStringAsync(AuthorizeUrl(clientId));
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var authorize = QueryHelpers.ParseQuery(AuthorizeUrl(clientId).Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        authorize["__RequestVerificationToken"] = token;
        authorize["lnbits_url"] = wallet.LnbitsUrl.AbsoluteUri;
        authorize["api_key"] = wallet.Key;
        authorize["action"] = "allow";
        using var posted = await browserless.PostAsync("/oauth/consent", new FormUrlEncodedContent(authorize));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        using var issued = await browserless.GetAsync(posted.Headers.Location);
        var redirect = issued.Headers.Location!;
        Assert.StartsWith(RedirectUri, redirect.AbsoluteUri);
        return QueryHelpers.ParseQuery(redirect.Query)["code"].ToString();
    }
}
