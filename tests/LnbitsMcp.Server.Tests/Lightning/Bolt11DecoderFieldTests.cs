using LnbitsMcp.Server.Lightning;
using static LnbitsMcp.Server.Tests.Lightning.Bolt11SpecVectors;

namespace LnbitsMcp.Server.Tests.Lightning;

/// <summary>Field rules of BOLT 11 on invoices written by <see cref="TestInvoiceBuilder"/>.</summary>
public sealed class Bolt11DecoderFieldTests
{
    [Fact]
    public void TheTestBuilderReproducesTheSpecDonationExampleByteForByte()
    {
        var built = new TestInvoiceBuilder("lnbc")
            .PaymentSecret().PaymentHash().Description("Please consider supporting this project").Features(8, 14)
            .Build();

        Assert.Equal(Donation, built);
    }

    [Theory]
    [InlineData("lnbc", LightningNetwork.Bitcoin, "bitcoin")]
    [InlineData("lntb", LightningNetwork.Testnet, "testnet")]
    [InlineData("lntbs", LightningNetwork.Signet, "signet")]
    [InlineData("lnbcrt", LightningNetwork.Regtest, "regtest")]
    [InlineData("lnsb", LightningNetwork.Simnet, "simnet")]
    [InlineData("lnbcrt10u", LightningNetwork.Regtest, "regtest")]
    [InlineData("lntbs1m", LightningNetwork.Signet, "signet")]
    public void ReadsTheNetworkFromTheLongestCurrencyPrefix(string hrp, LightningNetwork network, string name)
    {
        var invoice = Decode(new TestInvoiceBuilder(hrp).Standard().Build());

        Assert.Equal(network, invoice.Network);
        Assert.Equal(name, invoice.Network.ToName());
    }

    [Theory]
    [InlineData("lnxy")]
    [InlineData("lnltc")]
    [InlineData("lnb")]
    public void RejectsUnknownCurrencyPrefixes(string hrp)
    {
        AssertRejected(new TestInvoiceBuilder(hrp).Standard().Build(), "unknown currency prefix");
    }

    [Theory]
    [InlineData("1", 100_000_000_000L)]
    [InlineData("21", 2_100_000_000_000L)]
    [InlineData("10m", 1_000_000_000L)]
    [InlineData("2500u", 250_000_000L)]
    [InlineData("1u", 100_000L)]
    [InlineData("1n", 100L)]
    [InlineData("150n", 15_000L)]
    [InlineData("10p", 1L)]
    [InlineData("20p", 2L)]
    [InlineData("21000000", 2_100_000_000_000_000_000L)]
    public void ConvertsAmountsWithEachMultiplierToMillisatoshi(string amount, long expectedMsat)
    {
        var invoice = Decode(new TestInvoiceBuilder("lnbc" + amount).Standard().Build());

        Assert.Equal(expectedMsat, invoice.AmountMsat);
    }

    [Theory]
    [InlineData("01m", "invalid amount: leading zeros")]
    [InlineData("0", "invalid amount: zero")]
    [InlineData("0n", "invalid amount: zero")]
    [InlineData("25x", "invalid amount: invalid multiplier")]
    [InlineData("m", "invalid amount: missing digits")]
    [InlineData("1mm", "invalid amount: not a number")]
    [InlineData("11p", "invalid amount: sub-millisatoshi precision")]
    [InlineData("100000000", "invalid amount: too large")]
    [InlineData("99999999999999999999999", "invalid amount: too large")]
    [InlineData("999999999999999999m", "invalid amount: too large")]
    public void RejectsMalformedAmounts(string amount, string expectedError)
    {
        AssertRejected(new TestInvoiceBuilder("lnbc" + amount).Standard().Build(), expectedError);
    }

    [Fact]
    public void VerifiesTheSignatureAgainstAMatchingPayeeField()
    {
        var invoice = Decode(new TestInvoiceBuilder("lnbc1m").Standard().Payee(SpecPayee).Build());

        Assert.Equal(SpecPayee, invoice.Payee);
        Assert.True(invoice.SignatureValid);
    }

    [Fact]
    public void ReportsAnInvalidSignatureWhenThePayeeFieldNamesAnotherNode()
    {
        var other = TestInvoiceBuilder.PublicKeyHex(TestInvoiceBuilder.NewPrivateKey());

        var invoice = Decode(new TestInvoiceBuilder("lnbc1m").Standard().Payee(other).Build());

        Assert.Equal(other, invoice.Payee);
        Assert.False(invoice.SignatureValid);
    }

    [Fact]
    public void RecoversThePayeeOfAnotherKey()
    {
        var key = TestInvoiceBuilder.NewPrivateKey();

        var invoice = Decode(new TestInvoiceBuilder("lnbcrt").Standard().Build(key));

        Assert.Equal(TestInvoiceBuilder.PublicKeyHex(key), invoice.Payee);
        Assert.True(invoice.SignatureValid);
    }

    [Fact]
    public void RejectsAPayeeFieldThatIsNotACompressedPublicKey()
    {
        var notAPoint = "04" + new string('1', 64);

        AssertRejected(new TestInvoiceBuilder("lnbc1m").Standard().Payee(notAPoint).Build(), "invalid payee public key (n field)");
    }

    [Fact]
    public void RejectsARecoveryIdAboveThree()
    {
        var tampered = WithSignature(new TestInvoiceBuilder("lnbc1m").Standard().Build(), sig => sig[64] = 4);

        AssertRejected(tampered, "invalid signature recovery id");
    }

    [Fact]
    public void TamperingWithSignedDataChangesTheRecoveredPayee()
    {
        var honest = new TestInvoiceBuilder("lnbc1m").Standard("a").Build();
        var forged = WithDataWord(honest, wordIndex: 30, value: 1);

        Assert.True(Bolt11Decoder.TryDecode(forged, out var invoice, out _) is false || invoice!.Payee != SpecPayee);
    }

    [Fact]
    public void ReadsExpiryAndMinFinalCltvFields()
    {
        var invoice = Decode(new TestInvoiceBuilder("lnbc1m").Standard().Expiry(86400).MinFinalCltv(144).Build());

        Assert.Equal(86400, invoice.ExpirySeconds);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp + 86400), invoice.ExpiresAt);
        Assert.Equal(144, invoice.MinFinalCltvExpiry);
        Assert.False(invoice.IsExpired(DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp + 86399)));
        Assert.True(invoice.IsExpired(DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp + 86400)));
    }

    [Fact]
    public void SaturatesExpiryAtTheLargestDate()
    {
        var invoice = Decode(new TestInvoiceBuilder("lnbc1m").Standard().Field(6, [.. Enumerable.Repeat((byte)31, 12)]).Build());

        Assert.Equal((1L << 60) - 1, invoice.ExpirySeconds);
        Assert.Equal(DateTimeOffset.MaxValue, invoice.ExpiresAt);
        Assert.False(invoice.IsExpired(DateTimeOffset.UtcNow));
    }

    [Fact]
    public void RejectsAnExpiryTooLargeToRepresent()
    {
        AssertRejected(
            new TestInvoiceBuilder("lnbc1m").Standard().Field(6, [.. Enumerable.Repeat((byte)31, 13)]).Build(),
            "expiry (x field) too large");
    }

    [Fact]
    public void ReadsTheLargestTimestamp()
    {
        var invoice = Decode(new TestInvoiceBuilder("lnbc1m", timestamp: (1L << 35) - 1).Standard().Build());

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds((1L << 35) - 1), invoice.Timestamp);
    }

    [Fact]
    public void RejectsAnInvoiceWithoutPaymentHash()
    {
        AssertRejected(
            new TestInvoiceBuilder("lnbc1m").PaymentSecret().Description("x").Build(),
            "missing payment hash (p field)");
    }

    [Fact]
    public void RejectsAnInvoiceWithTwoPaymentHashes()
    {
        AssertRejected(
            new TestInvoiceBuilder("lnbc1m").Standard().PaymentHash(new string('a', 64)).Build(),
            "more than one payment hash (p field)");
    }

    [Fact]
    public void RejectsAnInvoiceWithBothDescriptionAndHash()
    {
        AssertRejected(
            new TestInvoiceBuilder("lnbc1m").Standard().DescriptionHashOf("x").Build(),
            "both description (d) and description hash (h) present");
    }

    [Fact]
    public void RejectsAnInvoiceWithNeitherDescriptionNorHash()
    {
        AssertRejected(
            new TestInvoiceBuilder("lnbc1m").PaymentHash().PaymentSecret().Build(),
            "missing description (d or h field)");
    }

    [Fact]
    public void RejectsADescriptionThatIsNotUtf8()
    {
        AssertRejected(
            new TestInvoiceBuilder("lnbc1m").PaymentHash().PaymentSecret().Bytes(13, "c328ff").Build(),
            "description (d field) is not valid UTF-8");
    }

    [Fact]
    public void AcceptsAnEmptyDescription()
    {
        var invoice = Decode(new TestInvoiceBuilder("lnbc1m").PaymentHash().PaymentSecret().Description(string.Empty).Build());

        Assert.Equal(string.Empty, invoice.Description);
    }

    [Fact]
    public void MergesBothBitsOfAFeaturePairIntoOneRequiredFeature()
    {
        var invoice = Decode(new TestInvoiceBuilder("lnbc1m").PaymentHash().PaymentSecret().Description("x")
            .Features(8, 14, 15, 17, 25).Build());

        Assert.Equal(
            [
                new Bolt11Feature("var_onion_optin", 8, true),
                new Bolt11Feature("payment_secret", 14, true),
                new Bolt11Feature("basic_mpp", 17, false),
                new Bolt11Feature("option_route_blinding", 25, false),
            ],
            invoice.Features);
    }

    [Fact]
    public void RejectsBasicMppWithoutPaymentSecret()
    {
        AssertRejected(
            new TestInvoiceBuilder("lnbc1m").PaymentHash().PaymentSecret().Description("x").Features(8, 17).Build(),
            "feature basic_mpp set without its dependency payment_secret");
    }

    [Fact]
    public void NamesUnknownFeatureBits()
    {
        Assert.Equal("unknown_101", Bolt11Features.NameOf(101));
        Assert.Equal("basic_mpp", Bolt11Features.NameOf(16));
        Assert.Equal("basic_mpp", Bolt11Features.NameOf(17));
        Assert.False(Bolt11Features.IsKnown(100));
    }

    [Theory]
    [InlineData("lnbcrt1m", 0, "751e76e8199196d454941c45d1b3a323f1433bd6", "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080")]
    [InlineData("lntb1m", 0, "751e76e8199196d454941c45d1b3a323f1433bd6", "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx")]
    [InlineData("lntbs1m", 0, "751e76e8199196d454941c45d1b3a323f1433bd6", "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx")]
    [InlineData("lntb1m", 17, "3172b5654f6683c8fb146959d347ce303cae4ca7", "mk2QpYatsKicvFVuTAQLBryyccRXMUaGHP")]
    public void EncodesFallbackAddressesForTheInvoiceNetwork(string hrp, int version, string program, string expected)
    {
        var invoice = Decode(new TestInvoiceBuilder(hrp).Standard().Fallback(version, program).Build());

        Assert.Equal([expected], invoice.FallbackAddresses);
    }

    [Fact]
    public void UsesTheNetworkVersionBytesForLegacyFallbacks()
    {
        var program = new string('0', 40);

        var regtest = Decode(new TestInvoiceBuilder("lnbcrt1m").Standard().Fallback(18, program).Fallback(17, program).Build());
        var mainnet = Decode(new TestInvoiceBuilder("lnbc1m").Standard().Fallback(18, program).Fallback(17, program).Build());

        Assert.Equal(["2MsFDzHRUAMpjHxKyoEHU3aMCMsVtMqs1PV", "mfWxJ45yp2SFn7UciZyNpvDKrzbhyfKrY8"], regtest.FallbackAddresses);
        Assert.Equal(["31h1vYVSYuKP6AhS86fbRdMw9XHieotbST", "1111111111111111111114oLvT2"], mainnet.FallbackAddresses);
    }

    [Fact]
    public void SkipsFallbacksWithUnknownVersionsOrBadProgramLengths()
    {
        var invoice = Decode(new TestInvoiceBuilder("lnbc1m").Standard()
            .Fallback(19, new string('0', 40))
            .Fallback(0, new string('0', 42))
            .Fallback(17, new string('0', 38))
            .Fallback(1, new string('1', 64))
            .Build());

        var address = Assert.Single(invoice.FallbackAddresses);
        Assert.StartsWith("bc1p", address, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsARouteHintThatIsNotWholeHops()
    {
        AssertRejected(
            new TestInvoiceBuilder("lnbc1m").Standard().Bytes(3, new string('0', 100)).Build(),
            "invalid route hint (r field)");
    }

    [Fact]
    public void ReadsRouteHintsWithLargeValues()
    {
        var hop = "02" + new string('a', 64) + "ffffffffffffffff" + "ffffffff" + "00000001" + "ffff";

        var invoice = Decode(new TestInvoiceBuilder("lnbc1m").Standard().Bytes(3, hop).Bytes(3, hop + hop).Build());

        Assert.Equal(2, invoice.RouteHints.Count);
        Assert.Equal(
            new RouteHintHop("02" + new string('a', 64), "16777215x16777215x65535", 4294967295, 1, 65535),
            invoice.RouteHints[0][0]);
        Assert.Equal(2, invoice.RouteHints[1].Count);
    }

    [Fact]
    public void RejectsATaggedFieldThatRunsPastTheData()
    {
        byte[] words = [.. new byte[7], 1, 31, 31, .. new byte[104]];

        AssertRejected(Bech32.Encode("lnbc", words), "tagged field longer than the data");
    }

    [Fact]
    public void RejectsATruncatedTaggedFieldHeader()
    {
        byte[] words = [.. new byte[7], 1, 0, .. new byte[104]];

        AssertRejected(Bech32.Encode("lnbc", words), "truncated tagged field");
    }

    [Fact]
    public void RejectsABech32mChecksum()
    {
        Assert.True(Bech32.TryDecode(Donation, Bech32.MaxInvoiceLength, out var data, out _));

        AssertRejected(Bech32.Encode(data.Hrp, data.Words, Bech32Encoding.Bech32m), "checksum invalid");
    }

    [Fact]
    public void AcceptsInvoicesLongerThanNinetyCharacters()
    {
        var invoice = Decode(new TestInvoiceBuilder("lnbc1m").Standard(new string('x', 600)).Build());

        Assert.Equal(600, invoice.Description!.Length);
        Assert.True(invoice.Bolt11.Length > 1000);
    }

    private static Bolt11Invoice Decode(string bolt11)
    {
        Assert.True(Bolt11Decoder.TryDecode(bolt11, out var invoice, out var error), error);
        return invoice;
    }

    private static void AssertRejected(string bolt11, string expectedError)
    {
        Assert.False(Bolt11Decoder.TryDecode(bolt11, out var invoice, out var error));
        Assert.Null(invoice);
        Assert.Equal(expectedError, error);
    }

    private static string WithSignature(string bolt11, Action<byte[]> change)
    {
        Assert.True(Bech32.TryDecode(bolt11, Bech32.MaxInvoiceLength, out var data, out _));
        var signature = Bech32.WordsToBytesTruncated(data.Words.AsSpan(data.Words.Length - 104));
        change(signature);
        byte[] words = [.. data.Words[..^104], .. Bech32.ToWords(signature)];
        return Bech32.Encode(data.Hrp, words);
    }

    private static string WithDataWord(string bolt11, int wordIndex, byte value)
    {
        Assert.True(Bech32.TryDecode(bolt11, Bech32.MaxInvoiceLength, out var data, out _));
        var words = data.Words.ToArray();
        words[wordIndex] = value;
        return Bech32.Encode(data.Hrp, words);
    }
}
