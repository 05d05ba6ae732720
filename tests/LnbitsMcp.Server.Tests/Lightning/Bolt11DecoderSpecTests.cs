using System.Security.Cryptography;
using System.Text;
using LnbitsMcp.Server.Lightning;
using static LnbitsMcp.Server.Tests.Lightning.Bolt11SpecVectors;

namespace LnbitsMcp.Server.Tests.Lightning;

/// <summary>The valid examples of BOLT 11, field by field.</summary>
public sealed class Bolt11DecoderSpecTests
{
    private static readonly DateTimeOffset SpecTime = DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp);

    [Fact]
    public void DecodesTheAmountlessDonationExample()
    {
        var invoice = Decode(Donation);

        Assert.Equal(Donation, invoice.Bolt11);
        Assert.Equal(LightningNetwork.Bitcoin, invoice.Network);
        Assert.Null(invoice.AmountMsat);
        Assert.Equal(SpecTime, invoice.Timestamp);
        Assert.Equal(SpecPaymentHash, invoice.PaymentHash);
        Assert.Equal(SpecPaymentSecret, invoice.PaymentSecret);
        Assert.Equal("Please consider supporting this project", invoice.Description);
        Assert.Null(invoice.DescriptionHash);
        Assert.Equal(3600, invoice.ExpirySeconds);
        Assert.Equal(SpecTime.AddHours(1), invoice.ExpiresAt);
        Assert.Equal(18, invoice.MinFinalCltvExpiry);
        Assert.Empty(invoice.RouteHints);
        Assert.Empty(invoice.FallbackAddresses);
        Assert.Null(invoice.Metadata);
        AssertSpecPayee(invoice);
        Assert.Equal(
            [new Bolt11Feature("var_onion_optin", 8, true), new Bolt11Feature("payment_secret", 14, true)],
            invoice.Features);
    }

    [Fact]
    public void DecodesTheCoffeeExampleWithOneMinuteExpiry()
    {
        var invoice = Decode(CoffeeWithinOneMinute);

        Assert.Equal(250_000_000, invoice.AmountMsat);
        Assert.Equal("1 cup coffee", invoice.Description);
        Assert.Equal(60, invoice.ExpirySeconds);
        Assert.Equal(SpecTime.AddSeconds(60), invoice.ExpiresAt);
        Assert.Equal(SpecPaymentHash, invoice.PaymentHash);
        Assert.Equal(SpecPaymentSecret, invoice.PaymentSecret);
        Assert.Equal(18, invoice.MinFinalCltvExpiry);
        AssertSpecPayee(invoice);
    }

    [Fact]
    public void DecodesTheUtf8NonsenseDescription()
    {
        var invoice = Decode(Nonsense);

        Assert.Equal(250_000_000, invoice.AmountMsat);
        Assert.Equal("ナンセンス 1杯", invoice.Description);
        Assert.Equal(60, invoice.ExpirySeconds);
        AssertSpecPayee(invoice);
    }

    [Fact]
    public void DecodesTheHashedDescriptionExample()
    {
        var invoice = Decode(Hashed);

        Assert.Equal(2_000_000_000, invoice.AmountMsat);
        Assert.Null(invoice.Description);
        Assert.Equal(Sha256Hex(HashedDescription), invoice.DescriptionHash);
        Assert.Equal("3925b6f67e2c340036ed12093dd44e0368df1b6ea26c53dbe4811f58fd5db8c1", invoice.DescriptionHash);
        Assert.Equal(SpecPaymentHash, invoice.PaymentHash);
        Assert.Equal(SpecPaymentSecret, invoice.PaymentSecret);
        AssertSpecPayee(invoice);
    }

    [Fact]
    public void DecodesTheTestnetExampleWithP2pkhFallback()
    {
        var invoice = Decode(TestnetP2pkhFallback);

        Assert.Equal(LightningNetwork.Testnet, invoice.Network);
        Assert.Equal("testnet", invoice.Network.ToName());
        Assert.Equal(2_000_000_000, invoice.AmountMsat);
        Assert.Equal(Sha256Hex(HashedDescription), invoice.DescriptionHash);
        Assert.Equal(["mk2QpYatsKicvFVuTAQLBryyccRXMUaGHP"], invoice.FallbackAddresses);
        AssertSpecPayee(invoice);
    }

    [Fact]
    public void DecodesTheMainnetExampleWithFallbackAndRouteHints()
    {
        var invoice = Decode(MainnetP2pkhFallbackWithRoutes);

        Assert.Equal(["1RustyRX2oai4EYYDpQGWvEL62BBGqN9T"], invoice.FallbackAddresses);
        var route = Assert.Single(invoice.RouteHints);
        Assert.Equal(
            [
                new RouteHintHop("029e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255", "66051x263430x1800", 1, 20, 3),
                new RouteHintHop("039e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255", "197637x395016x2314", 2, 30, 4),
            ],
            route);
        AssertSpecPayee(invoice);
    }

    [Theory]
    [InlineData(MainnetP2shFallback, "3EktnHQD7RiAE6uzMj2ZifT9YgRrkSgzQX")]
    [InlineData(MainnetP2wpkhFallback, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")]
    [InlineData(MainnetP2wshFallback, "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3")]
    [InlineData(MainnetP2trFallback, "bc1pptdvg0d2nj99568qn6ssdy4cygnwuxgw2ukmnwgwz7jpqjz2kszse2s3lm")]
    public void DecodesEachFallbackAddressKind(string bolt11, string expectedAddress)
    {
        var invoice = Decode(bolt11);

        Assert.Equal([expectedAddress], invoice.FallbackAddresses);
        Assert.Equal(2_000_000_000, invoice.AmountMsat);
        Assert.Equal(Sha256Hex(HashedDescription), invoice.DescriptionHash);
        AssertSpecPayee(invoice);
    }

    [Fact]
    public void DecodesThePicoAmountExampleWithRouteHintAndCltv()
    {
        var invoice = Decode(PicoAmountOneWeek);

        Assert.Equal(967_878_534, invoice.AmountMsat);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1572468703), invoice.Timestamp);
        Assert.Equal("462264ede7e14047e9b249da94fefc47f41f7d02ee9b091815a5506bc8abf75f", invoice.PaymentHash);
        Assert.Equal(SpecPaymentSecret, invoice.PaymentSecret);
        Assert.Equal(
            "Blockstream Store: 88.85 USD for Blockstream Ledger Nano S x 1, \"Back In My Day\" Sticker x 2, " +
            "\"I Got Lightning Working\" Sticker x 2 and 1 more items",
            invoice.Description);
        Assert.Equal(604800, invoice.ExpirySeconds);
        Assert.Equal(10, invoice.MinFinalCltvExpiry);
        var hop = Assert.Single(Assert.Single(invoice.RouteHints));
        Assert.Equal(
            new RouteHintHop("03d06758583bb5154774a6eb221b1276c9e82d65bbaceca806d90e20c108f4b1c7", "589390x3312x1", 1000, 2500, 40),
            hop);
        AssertSpecPayee(invoice);
    }

    [Fact]
    public void DecodesFeatureBitsIncludingUnknownOddOnes()
    {
        var invoice = Decode(CoffeeBeansFeatures);

        Assert.Equal(2_500_000_000, invoice.AmountMsat);
        Assert.Equal("coffee beans", invoice.Description);
        Assert.Equal(SpecPaymentSecret, invoice.PaymentSecret);
        Assert.Equal(
            [
                new Bolt11Feature("var_onion_optin", 8, true),
                new Bolt11Feature("payment_secret", 14, true),
                new Bolt11Feature("unknown_99", 99, false),
            ],
            invoice.Features);
        Assert.Equal("unknown_99 (optional)", invoice.Features[2].ToString());
        AssertSpecPayee(invoice);
    }

    [Fact]
    public void DecodesAllUppercaseInvoicesToTheLowercaseForm()
    {
        var upper = Decode(CoffeeBeansUpperCase);
        var lower = Decode(CoffeeBeansFeatures);

        Assert.Equal(CoffeeBeansFeatures, upper.Bolt11);
        Assert.Equal(lower.PaymentHash, upper.PaymentHash);
        Assert.Equal(lower.Description, upper.Description);
        Assert.Equal(lower.Features, upper.Features);
        AssertSpecPayee(upper);
    }

    [Fact]
    public void SkipsUnknownFieldsAndFixedFieldsOfTheWrongLength()
    {
        var invoice = Decode(CoffeeBeansIgnoredFields);

        Assert.Equal(SpecPaymentHash, invoice.PaymentHash);
        Assert.Equal(SpecPaymentSecret, invoice.PaymentSecret);
        Assert.Equal("coffee beans", invoice.Description);
        Assert.Null(invoice.DescriptionHash);
        Assert.Empty(invoice.FallbackAddresses);
        AssertSpecPayee(invoice);
    }

    [Fact]
    public void DecodesPaymentMetadata()
    {
        var invoice = Decode(PaymentMetadata);

        Assert.Equal(1_000_000_000, invoice.AmountMsat);
        Assert.Equal("payment metadata inside", invoice.Description);
        Assert.Equal("01fafaf0", invoice.Metadata);
        Assert.Contains(new Bolt11Feature("option_payment_metadata", 48, true), invoice.Features);
        AssertSpecPayee(invoice);
    }

    [Fact]
    public void RecoversThePayeeFromAHighSSignature()
    {
        var invoice = Decode(HighSRecovery);

        Assert.Null(invoice.AmountMsat);
        Assert.Equal("Please consider supporting this project", invoice.Description);
        AssertSpecPayee(invoice);
    }

    [Theory]
    [InlineData("lightning:")]
    [InlineData("LIGHTNING:")]
    [InlineData("Lightning:")]
    public void AcceptsALightningUriPrefixInAnyCase(string prefix)
    {
        var invoice = Decode(prefix + Donation);

        Assert.Equal(Donation, invoice.Bolt11);
        AssertSpecPayee(invoice);
    }

    [Fact]
    public void AcceptsAnUppercaseInvoiceBehindALightningPrefix()
    {
        var invoice = Decode("LIGHTNING:" + CoffeeBeansUpperCase);

        Assert.Equal(CoffeeBeansFeatures, invoice.Bolt11);
    }

    [Fact]
    public void IgnoresSurroundingWhitespace()
    {
        var invoice = Decode("  " + Donation + "\n");

        Assert.Equal(Donation, invoice.Bolt11);
    }

    [Fact]
    public void ComputesExpiryFromTimestampAndExpiryField()
    {
        var invoice = Decode(CoffeeWithinOneMinute);

        Assert.False(invoice.IsExpired(SpecTime));
        Assert.False(invoice.IsExpired(SpecTime.AddSeconds(59)));
        Assert.True(invoice.IsExpired(SpecTime.AddSeconds(60)));
        Assert.True(invoice.IsExpired(DateTimeOffset.UtcNow));
    }

    private static Bolt11Invoice Decode(string bolt11)
    {
        Assert.True(Bolt11Decoder.TryDecode(bolt11, out var invoice, out var error), error);
        Assert.Null(error);
        return invoice;
    }

    private static void AssertSpecPayee(Bolt11Invoice invoice)
    {
        Assert.Equal(SpecPayee, invoice.Payee);
        Assert.True(invoice.SignatureValid);
    }

    private static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
