using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace LnbitsMcp.Server.Tests.OAuth;

/// <summary>Access tokens expire after an hour (server clock moved forward); the connection goes on through its refresh token.</summary>
public sealed class TokenExpiryTests
{
    [Fact]
    public async Task AnExpiredAccessTokenGets401AndTheRefreshTokenGetsANewOne()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await ServerHost.StartAsync(configure: builder => builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var wallet = await sandbox.CreateWalletAsync("expiring", 1_000);
        var flow = new OAuthFlow(server.Url);
        var (clientId, tokens) = await flow.ConnectOverHttpAsync(new WalletChoice(sandbox.Url, wallet.AdminKey));
        var access = tokens.GetProperty("access_token").GetString()!;
        using (var fresh = await McpHttp.PostAsync(server.Url, access, McpHttp.ToolsList))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        clock.Advance(TimeSpan.FromMinutes(61));
        using (var expired = await McpHttp.PostAsync(server.Url, access, McpHttp.ToolsList))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
            Assert.Contains("error=\"invalid_token\"", expired.Headers.WwwAuthenticate.ToString());
        }

        using var refreshed = await flow.RefreshAsync(clientId, tokens.GetProperty("refresh_token").GetString()!);
        var renewed = await refreshed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(refreshed.IsSuccessStatusCode, renewed.ToString());
        using var again = await McpHttp.PostAsync(server.Url, renewed.GetProperty("access_token").GetString()!,
            """{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"get_wallet_balance","arguments":{}}}""");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("1000", await again.Content.ReadAsStringAsync());
    }
}
