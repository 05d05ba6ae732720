using LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests;

/// <summary>Checklist item 5: GET /api/v1/wallet.</summary>
public sealed class WalletTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private SandboxClient Client => sandbox.Client;

    [Fact]
    public async Task InvoiceKeySeesNameAndBalanceInMsatWithoutTheId()
    {
        var wallet = await Client.CreateWalletAsync("Savings Jar", 1234).WaitAsync(TestTimeout);

        var response = await Client.GetAsync("/api/v1/wallet", wallet.InKey).WaitAsync(TestTimeout);

        Assert.Equal(200, response.Code);
        Assert.Equal(["name", "balance"], response.Object.Select(p => p.Key));
        Assert.Equal("Savings Jar", response.Text("name"));
        Assert.Equal(1_234_000, response.Long("balance"));
    }

    [Fact]
    public async Task AdminKeyAlsoSeesTheWalletId()
    {
        var wallet = await Client.CreateWalletAsync("admin-view", 5).WaitAsync(TestTimeout);

        var response = await Client.GetAsync("/api/v1/wallet", wallet.AdminKey).WaitAsync(TestTimeout);

        Assert.Equal(["name", "balance", "id"], response.Object.Select(p => p.Key));
        Assert.Equal(wallet.Id, response.Text("id"));
        Assert.Equal(5_000, response.Long("balance"));
    }

    [Fact]
    public async Task SandboxWalletsHaveUuidHexIdsAndKeysAndALightningAddressOfTheRequestHost()
    {
        var wallet = await Client.CreateWalletAsync("Zoë's wallet", 0).WaitAsync(TestTimeout);

        foreach (var value in new[] { wallet.Id, wallet.AdminKey, wallet.InKey })
        {
            Assert.Matches("^[0-9a-f]{32}$", value);
            Assert.Equal('4', value[12]);
        }

        Assert.Equal($"zo--s-wallet@{sandbox.BaseAddress.Authority}", wallet.LightningAddress);
    }
}
