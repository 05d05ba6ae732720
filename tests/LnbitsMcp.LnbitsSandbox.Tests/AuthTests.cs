using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests;

/// <summary>lnbits-api.md §1 and checklist item 1: wallet keys, and user logins with bearer tokens.</summary>
public sealed class AuthTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private SandboxClient Client => sandbox.Client;

    public async ValueTask InitializeAsync() => await Client.ResetSettingsAsync().WaitAsync(TestTimeout);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task KeyIsReadFromTheHeaderWhateverItsCase()
    {
        var wallet = await Client.CreateWalletAsync("header", 10).WaitAsync(TestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/wallet");
        request.Headers.Add("x-api-key", wallet.InKey);
        using var response = await Client.Http.SendAsync(request).WaitAsync(TestTimeout);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task KeyIsReadFromTheHyphenatedApiKeyQueryParameterOnly()
    {
        var wallet = await Client.CreateWalletAsync("query", 10).WaitAsync(TestTimeout);

        var hyphen = await Client.GetAsync($"/api/v1/wallet?api-key={wallet.InKey}").WaitAsync(TestTimeout);
        var underscore = await Client.GetAsync($"/api/v1/wallet?api_key={wallet.InKey}").WaitAsync(TestTimeout);

        Assert.Equal(200, hyphen.Code);
        Assert.Equal(401, underscore.Code);
        Assert.Equal("No Api Key provided.", underscore.Detail);
    }

    [Fact]
    public async Task MissingKeyAnswers401NoApiKeyProvided()
    {
        var response = await Client.GetAsync("/api/v1/wallet").WaitAsync(TestTimeout);

        Assert.Equal(401, response.Code);
        Assert.Equal(new JsonObject { ["detail"] = "No Api Key provided." }.ToJsonString(), response.Body!.ToJsonString());
    }

    [Fact]
    public async Task UnknownKeyAnswers404WalletNotFound()
    {
        var response = await Client.GetAsync("/api/v1/payments", Guid.NewGuid().ToString("N")).WaitAsync(TestTimeout);

        Assert.Equal(404, response.Code);
        Assert.Equal("Wallet not found.", response.Detail);
    }

    [Fact]
    public async Task InvoiceKeyOnAnAdminRouteAnswers403InvalidAdminkey()
    {
        var wallet = await Client.CreateWalletAsync("inkey-admin", 10).WaitAsync(TestTimeout);

        var response = await Client.PostAsync("/api/v1/payments/lnurl",
            new JsonObject { ["lnurl"] = "bob@127.0.0.1:1", ["amount"] = 1000 }, wallet.InKey).WaitAsync(TestTimeout);

        Assert.Equal(403, response.Code);
        Assert.Equal("Invalid adminkey.", response.Detail);
    }

    [Fact]
    public async Task InvoiceKeyPayingWithOutTrueAnswers403()
    {
        var wallet = await Client.CreateWalletAsync("inkey-pay", 10).WaitAsync(TestTimeout);
        var (bolt11, _) = await Client.ExternalInvoiceAsync(1).WaitAsync(TestTimeout);

        var response = await Client.PostAsync("/api/v1/payments", new JsonObject { ["out"] = true, ["bolt11"] = bolt11 }, wallet.InKey)
            .WaitAsync(TestTimeout);

        Assert.Equal(403, response.Code);
        Assert.Equal("Invoice (or Admin) key required.", response.Detail);
    }

    [Fact]
    public async Task BearerHeaderIsNotAWalletKey()
    {
        var wallet = await Client.CreateWalletAsync("bearer-key", 10).WaitAsync(TestTimeout);

        var response = await Client.GetAsync("/api/v1/wallet", bearer: wallet.AdminKey).WaitAsync(TestTimeout);

        Assert.Equal(401, response.Code);
        Assert.Equal("No Api Key provided.", response.Detail);
    }

    [Fact]
    public async Task LoginGivesABearerTokenThatListsTheUsersWalletsWithTheirKeys()
    {
        var user = await Client.PostAsync("/sandbox/users", new JsonObject { ["username"] = "carol", ["password"] = "s3cret" })
            .WaitAsync(TestTimeout);
        Assert.Equal(201, user.Code);
        var first = await Client.CreateWalletAsync("carol-main", 1000, user.Text("id")).WaitAsync(TestTimeout);
        var second = await Client.CreateWalletAsync("carol-savings", 0, "carol").WaitAsync(TestTimeout);

        var login = await Client.PostAsync("/api/v1/auth", new JsonObject { ["username"] = "carol", ["password"] = "s3cret" })
            .WaitAsync(TestTimeout);
        Assert.Equal(200, login.Code);
        Assert.Equal("bearer", login.Text("token_type"));
        var wallets = await Client.GetAsync("/api/v1/wallets", bearer: login.Text("access_token")).WaitAsync(TestTimeout);

        Assert.Equal(200, wallets.Code);
        Assert.Equal(2, wallets.Array.Count);
        var main = wallets.Array[0]!.AsObject();
        Assert.Equal(first.Id, main["id"]!.GetValue<string>());
        Assert.Equal("carol-main", main["name"]!.GetValue<string>());
        Assert.Equal(first.AdminKey, main["adminkey"]!.GetValue<string>());
        Assert.Equal(first.InKey, main["inkey"]!.GetValue<string>());
        Assert.Equal(1_000_000, main["balance_msat"]!.GetValue<long>());
        Assert.Equal(user.Text("id"), main["user"]!.GetValue<string>());
        Assert.Equal(second.Id, wallets.Array[1]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task LoginWithAWrongPasswordAnswers401InvalidCredentials()
    {
        await Client.PostAsync("/sandbox/users", new JsonObject { ["username"] = "dave", ["password"] = "right" }).WaitAsync(TestTimeout);

        var response = await Client.PostAsync("/api/v1/auth", new JsonObject { ["username"] = "dave", ["password"] = "wrong" })
            .WaitAsync(TestTimeout);

        Assert.Equal(401, response.Code);
        Assert.Equal("Invalid credentials.", response.Detail);
    }

    [Fact]
    public async Task WalletsWithoutATokenAnswers401MissingUserIdOrAccessToken()
    {
        var response = await Client.GetAsync("/api/v1/wallets").WaitAsync(TestTimeout);

        Assert.Equal(401, response.Code);
        Assert.Equal("Missing user ID or access token.", response.Detail);
    }

    [Fact]
    public async Task WalletsWithATamperedTokenAnswers401InvalidAccessToken()
    {
        await Client.PostAsync("/sandbox/users", new JsonObject { ["username"] = "erin", ["password"] = "pw" }).WaitAsync(TestTimeout);
        var login = await Client.PostAsync("/api/v1/auth", new JsonObject { ["username"] = "erin", ["password"] = "pw" }).WaitAsync(TestTimeout);
        var token = login.Text("access_token");
        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];

        var bad = await Client.GetAsync("/api/v1/wallets", bearer: tampered).WaitAsync(TestTimeout);
        var garbage = await Client.GetAsync("/api/v1/wallets", bearer: "not-a-token").WaitAsync(TestTimeout);

        Assert.Equal(401, bad.Code);
        Assert.Equal("Invalid access token.", bad.Detail);
        Assert.Equal("Invalid access token.", garbage.Detail);
    }

    [Fact]
    public async Task ExpiredTokenAnswers401SessionExpired()
    {
        await Client.SettingsAsync(new JsonObject { ["token_lifetime_seconds"] = 1 }).WaitAsync(TestTimeout);
        await Client.PostAsync("/sandbox/users", new JsonObject { ["username"] = "frank", ["password"] = "pw" }).WaitAsync(TestTimeout);
        var login = await Client.PostAsync("/api/v1/auth", new JsonObject { ["username"] = "frank", ["password"] = "pw" }).WaitAsync(TestTimeout);

        await Task.Delay(TimeSpan.FromMilliseconds(2100)).WaitAsync(TestTimeout);
        var response = await Client.GetAsync("/api/v1/wallets", bearer: login.Text("access_token")).WaitAsync(TestTimeout);

        Assert.Equal(401, response.Code);
        Assert.Equal("Session expired.", response.Detail);
        Assert.Equal("true", response.Headers.GetValues("token-expired").Single());
    }
}
