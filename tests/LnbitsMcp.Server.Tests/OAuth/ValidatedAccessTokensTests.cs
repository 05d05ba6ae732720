using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using Microsoft.Extensions.DependencyInjection;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace LnbitsMcp.Server.Tests.OAuth;

/// <summary>
/// A connection's access token is validated once per instance, not on every tool call (ValidatedAccessTokens); what
/// can change while it lives is still checked on every call: a revoked connection's token is refused at once, a
/// token changed by one character is validated (and refused) on its own. An expired token: TokenExpiryTests.
/// </summary>
public sealed class AnAccessTokenIsValidatedOncePerInstance
{
    [Fact]
    public async Task ToolCallsWithOneTokenValidateItOnceAndItsRevocationStillStopsItAtOnce()
    {
        var validations = 0;
        await using var sandbox = await Sandbox.StartAsync();
        await using var server = await ServerHost.StartAsync(configure: builder => builder.Services.AddOpenIddict().AddValidation(validation =>
            validation.AddEventHandler<ProcessAuthenticationContext>(handler => handler.SetOrder(int.MinValue).UseInlineHandler(_ =>
            {
                Interlocked.Increment(ref validations); // every request the validation stack sees
                return default;
            }))));
        var wallet = await sandbox.CreateWalletAsync("validated-once", 2_000);
        var flow = new OAuthFlow(server.Url);
        var (clientId, tokens) = await flow.ConnectOverHttpAsync(new WalletChoice(sandbox.Url, wallet.AdminKey));
        var access = tokens.GetProperty("access_token").GetString()!;

        var before = Volatile.Read(ref validations);
        for (var call = 0; call < 5; call++)
        {
            using var balance = await McpHttp.PostAsync(server.Url, access, Balance); // initialize, initialized, the call: 3 requests
            Assert.Equal(HttpStatusCode.OK, balance.StatusCode);
            Assert.Contains("2000", await balance.Content.ReadAsStringAsync());
        }

        Assert.Equal(1, Volatile.Read(ref validations) - before);

        var altered = access[..^1] + (access[^1] == 'A' ? 'B' : 'A');
        using (var refused = await McpHttp.PostAsync(server.Url, altered, Balance))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        Assert.Equal(3, Volatile.Read(ref validations) - before); // its initialize and the call again without a session (McpHttp), both validated

        using var revoke = await flow.Http.PostAsync("/oauth/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = tokens.GetProperty("refresh_token").GetString()!,
            ["token_type_hint"] = "refresh_token",
            ["client_id"] = clientId,
        }));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        using var revoked = await McpHttp.PostAsync(server.Url, access, Balance);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("error=\"invalid_token\"", revoked.Headers.WwwAuthenticate.ToString());
    }

    private const string Balance = """{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"get_wallet_balance","arguments":{}}}""";
}
