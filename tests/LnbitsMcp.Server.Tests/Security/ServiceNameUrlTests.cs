using LnbitsMcp.Server.Tests.Infrastructure;
using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.Security;

/// <summary>
/// A URL a user chooses means what it says: a host named like a service in this deployment's configuration
/// (<c>Services:&lt;name&gt;</c>, as Aspire writes it) is not resolved to that service's address.
/// </summary>
public sealed class ServiceNameUrlTests : SandboxServerTests
{
    private const string ServiceName = "lnbits-sandbox";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [$"Services:{ServiceName}:http:0"] = Sandbox.Url.AbsoluteUri,
        ["Security:AllowPrivateNetworks"] = "true", // the sandbox's loopback address would be allowed
    };

    [Fact]
    public async Task AnLnbitsUrlNamingAConfiguredServiceDoesNotReachIt()
    {
        var wallet = await Sandbox.CreateWalletAsync("service-name-wallet", 1_000);
        using var http = new HttpClient { Timeout = RestToolCalls.Timeout };

        var direct = await http.CallToolAsync(Server.Url, "test_lnbits_configuration", headers: RestToolCalls.LnbitsHeaders(Sandbox.Url, wallet.AdminKey));
        var byServiceName = await http.CallToolAsync(Server.Url, "test_lnbits_configuration",
            headers: RestToolCalls.LnbitsHeaders(new Uri($"http://{ServiceName}/"), wallet.AdminKey));

        Assert.Equal("service-name-wallet", direct.Ok().GetProperty("wallet_name").GetString());
        Assert.DoesNotContain("service-name-wallet", byServiceName.Body.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(direct.Body.ToString(), byServiceName.Body.ToString());
    }
}
