using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.OAuth;

/// <summary><c>Auth:Mode</c> none and optional, and metadata documents on private addresses.</summary>
public sealed class AuthModeTests
{
    [Fact]
    public async Task ModeNoneAnswersACleanNotFoundAtEveryOAuthUrlAndServesAnonymousCalls()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Auth:Mode"] = "none" });
        using var http = new HttpClient { BaseAddress = server.Url };
        foreach (var path in new[] { "/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-authorization-server", "/oauth/authorize", "/connections" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(path)).StatusCode);
        }

        await using var client = await server.ConnectAsync();
        Assert.False((await client.CallOkAsync("get_session_info")).TryGetProperty("auth", out _));
    }

    [Fact]
    public async Task ModeOptionalServesAnonymousCallsButRefusesABadToken()
    {
        await using var server = await ServerHost.StartAsync();
        await using var anonymous = await server.ConnectAsync();
        Assert.True((await anonymous.CallOkAsync("get_session_info")).GetProperty("bound_to_transport").GetBoolean());

        using var garbage = await McpHttp.PostAsync(server.Url, "garbage", McpHttp.ToolsList);
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
        Assert.Contains("resource_metadata=", garbage.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task BrowserClientsMayReadTheMetadataAndUseTheTokenEndpointCrossOrigin()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Http:AllowedOrigins:0"] = "http://localhost:6274" });
        using var http = new HttpClient { BaseAddress = server.Url };
        using var metadata = new HttpRequestMessage(HttpMethod.Get, "/.well-known/oauth-authorization-server");
        metadata.Headers.Add("Origin", "http://localhost:6274");
        using var answer = await http.SendAsync(metadata);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/oauth/token");
        preflight.Headers.Add("Origin", "http://localhost:6274");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var allowed = await http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Contains("POST", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single());
    }

    [Fact]
    public async Task ModeRequiredChallengesARequestWithoutAToken()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Auth:Mode"] = "required" });
        using var http = new HttpClient { BaseAddress = server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sse");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer resource_metadata=\"{server.Url.AbsoluteUri.TrimEnd('/')}/.well-known/oauth-protected-resource/mcp\", scope=\"wallet:read wallet:pay\"",
            response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task AConfidentialClientRegisteredForClientSecretBasicMustAuthenticateAtTheTokenEndpoint()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await using var server = await ServerHost.StartAsync();
        var wallet = await sandbox.CreateWalletAsync("confidential", 1_000);
        var flow = new OAuthFlow(server.Url);
        using var registered = await flow.Http.PostAsJsonAsync("/oauth/register", new
        {
            client_name = "Confidential",
            redirect_uris = new[] { OAuthFlow.RedirectUri },
            token_endpoint_auth_method = "client_secret_basic",
        });
        var client = await registered.Content.ReadFromJsonAsync<JsonElement>();
        var clientId = client.GetProperty("client_id").GetString()!;
        var secret = client.GetProperty("client_secret").GetString()!;
        Assert.Equal(0, client.GetProperty("client_secret_expires_at").GetInt64());

        var code = await flow.ConsentOverHttpAsync(clientId, new WalletChoice(sandbox.Url, wallet.AdminKey));
        using (var unauthenticated = await flow.RedeemAsync(clientId, code))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
            Assert.Equal("invalid_client", (await unauthenticated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = OAuthFlow.RedirectUri,
                ["code_verifier"] = flow.Verifier,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        using var authenticated = await flow.Http.SendAsync(request);
        var tokens = await authenticated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(authenticated.IsSuccessStatusCode, tokens.ToString());
        Assert.Equal("Bearer", tokens.GetProperty("token_type").GetString());
    }

    [Fact]
    public async Task AClientMetadataDocumentOnAPrivateAddressIsNotFetched()
    {
        await using var documents = await ClientDocumentHost.StartAsync();
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Security:AllowPrivateNetworks"] = "false" });
        var flow = new OAuthFlow(server.Url);
        using var response = await flow.Http.GetAsync(flow.AuthorizeUrl(documents.ClientId));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("unknown", await response.Content.ReadAsStringAsync());
    }
}
