using LnbitsMcp.Server.Lightning;

namespace LnbitsMcp.Server.Tests.Lightning;

public sealed class LightningNetworkTests
{
    [Theory]
    [InlineData("bc", LightningNetwork.Bitcoin, 2)]
    [InlineData("bc2500u", LightningNetwork.Bitcoin, 2)]
    [InlineData("bcrt", LightningNetwork.Regtest, 4)]
    [InlineData("bcrt1m", LightningNetwork.Regtest, 4)]
    [InlineData("tb", LightningNetwork.Testnet, 2)]
    [InlineData("tbs", LightningNetwork.Signet, 3)]
    [InlineData("tbs10n", LightningNetwork.Signet, 3)]
    [InlineData("sb", LightningNetwork.Simnet, 2)]
    public void MatchesTheLongestCurrencyPrefix(string afterLn, LightningNetwork expected, int length)
    {
        Assert.True(LightningNetworks.TryMatchCurrencyPrefix(afterLn, out var network, out var used));
        Assert.Equal(expected, network);
        Assert.Equal(length, used);
    }

    [Fact]
    public void GivesLowercaseNamesThatParseBack()
    {
        Assert.Equal(
            ["bitcoin", "testnet", "signet", "regtest", "simnet"],
            Enum.GetValues<LightningNetwork>().Select(n => n.ToName()));
        foreach (var network in Enum.GetValues<LightningNetwork>())
        {
            Assert.True(LightningNetworks.TryParseName(network.ToName().ToUpperInvariant(), out var parsed));
            Assert.Equal(network, parsed);
            Assert.Equal("ln" + network.CurrencyPrefix(), network.InvoicePrefix());
        }
    }

    [Fact]
    public void RejectsUnknownCurrencies()
    {
        Assert.False(LightningNetworks.TryMatchCurrencyPrefix("ltc", out _, out _));
        Assert.False(LightningNetworks.TryParseName("mainnet", out _));
    }
}
