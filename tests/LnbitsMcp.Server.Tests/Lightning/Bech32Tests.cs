using LnbitsMcp.Server.Lightning;

namespace LnbitsMcp.Server.Tests.Lightning;

/// <summary>Bech32/bech32m with the test vectors of BIP-173 and BIP-350.</summary>
public sealed class Bech32Tests
{
    [Theory]
    [InlineData("A12UEL5L", Bech32Encoding.Bech32)]
    [InlineData("a12uel5l", Bech32Encoding.Bech32)]
    [InlineData("an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs", Bech32Encoding.Bech32)]
    [InlineData("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", Bech32Encoding.Bech32)]
    [InlineData("11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j", Bech32Encoding.Bech32)]
    [InlineData("split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", Bech32Encoding.Bech32)]
    [InlineData("?1ezyfcl", Bech32Encoding.Bech32)]
    [InlineData("A1LQFN3A", Bech32Encoding.Bech32m)]
    [InlineData("a1lqfn3a", Bech32Encoding.Bech32m)]
    [InlineData("abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx", Bech32Encoding.Bech32m)]
    public void DecodesTheBipTestVectors(string text, Bech32Encoding encoding)
    {
        Assert.True(Bech32.TryDecode(text, Bech32.MaxStandardLength, out var data, out var error), error);
        Assert.Equal(encoding, data.Encoding);
        Assert.Equal(text.ToLowerInvariant(), Bech32.Encode(data.Hrp, data.Words, data.Encoding));
    }

    [Theory]
    [InlineData(" 1nwldj5", "invalid character")]
    [InlineData("\u007f1axkwrx", "invalid character")]
    [InlineData("\u00801eym55h", "invalid character")]
    [InlineData("an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx", "too long (more than 90 characters)")]
    [InlineData("pzry9x0s0muk", "missing separator '1'")]
    [InlineData("1pzry9x0s0muk", "empty human-readable part")]
    [InlineData("x1b4n0q5v", "invalid character")]
    [InlineData("li1dgmt3", "too short")]
    [InlineData("de1lg7wt\u00ff", "invalid character")]
    [InlineData("A1G7SGD8", "checksum invalid")]
    [InlineData("10a06t8", "too short")]
    [InlineData("1qzzfhee", "empty human-readable part")]
    [InlineData("a12UEL5L", "mixed case")]
    [InlineData("", "empty")]
    [InlineData(null, "empty")]
    public void RejectsTheBip173InvalidVectors(string? text, string expectedError)
    {
        Assert.False(Bech32.TryDecode(text, Bech32.MaxStandardLength, out var data, out var error));
        Assert.Null(data);
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public void AcceptsLongStringsWhenTheCallerLiftsTheLimit()
    {
        var words = new byte[2000];
        var text = Bech32.Encode("lnbc", words);

        Assert.False(Bech32.TryDecode(text, Bech32.MaxStandardLength, out _, out _));
        Assert.True(Bech32.TryDecode(text, Bech32.MaxInvoiceLength, out var data, out _));
        Assert.Equal(words, data.Words);
    }

    [Fact]
    public void ConvertsBitsBothWays()
    {
        byte[] bytes = [0x00, 0xff, 0x10, 0x80, 0x7e];

        var words = Bech32.ToWords(bytes);

        Assert.Equal(8, words.Length);
        Assert.True(Bech32.TryConvertBits(words, 5, 8, pad: false, out var back));
        Assert.Equal(bytes, back);
        Assert.Equal(bytes, Bech32.WordsToBytesTruncated(words));
        Assert.Equal(bytes, Bech32.WordsToBytesPadded(words));
    }

    [Fact]
    public void RefusesNonZeroPaddingWithoutPad()
    {
        Assert.False(Bech32.TryConvertBits([0x1f, 0x1f], 5, 8, pad: false, out _));
        Assert.False(Bech32.TryConvertBits([32], 5, 8, pad: true, out _));
    }

    [Fact]
    public void PadsPartialBytesWithZeroBits()
    {
        Assert.Equal([0xf8], Bech32.WordsToBytesPadded([0x1f]));
        Assert.Empty(Bech32.WordsToBytesTruncated([0x1f]));
    }

    [Theory]
    [InlineData("bc", 0, "751e76e8199196d454941c45d1b3a323f1433bd6", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")]
    [InlineData("tb", 0, "1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262", "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7")]
    [InlineData("bc", 1, "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")]
    public void EncodesSegwitAddressesWithBip350ForVersionOneAndUp(string hrp, int version, string program, string expected)
    {
        Assert.Equal(expected, Bech32.EncodeSegwitAddress(hrp, version, Convert.FromHexString(program)));
    }
}
