using LnbitsMcp.Server.Lightning;
using static LnbitsMcp.Server.Tests.Lightning.Bolt11SpecVectors;

namespace LnbitsMcp.Server.Tests.Lightning;

/// <summary>The invalid examples of BOLT 11 and malformed input.</summary>
public sealed class Bolt11DecoderRejectionTests
{
    [Theory]
    [InlineData(InvalidUnknownEvenFeature, "unknown required feature bit 100")]
    [InlineData(InvalidChecksum, "checksum invalid")]
    [InlineData(InvalidNoSeparator, "missing separator '1'")]
    [InlineData(InvalidMixedCase, "mixed case")]
    [InlineData(InvalidNotRecoverable, "signature is not recoverable")]
    [InlineData(InvalidTooShort, "too short")]
    [InlineData(InvalidMultiplier, "invalid amount: invalid multiplier")]
    [InlineData(InvalidSubMillisatoshi, "invalid amount: sub-millisatoshi precision")]
    [InlineData(InvalidMissingSecret, "missing payment secret (s field)")]
    [InlineData(InvalidHighSWithPayeeField, "non-canonical signature (high-S)")]
    public void RejectsEachInvalidSpecExampleWithAShortReason(string bolt11, string expectedError)
    {
        Assert.False(Bolt11Decoder.TryDecode(bolt11, out var invoice, out var error));
        Assert.Null(invoice);
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public void DecodeRejectsSubMillisatoshiAmounts()
    {
        Assert.False(Bolt11Decoder.TryDecode(InvalidSubMillisatoshi, out _, out var error));
        Assert.Equal("invalid amount: sub-millisatoshi precision", error);
    }

    [Fact]
    public void DecodeRejectsMixedCase()
    {
        var mixed = "LNBC" + Donation[4..];

        Assert.False(Bolt11Decoder.TryDecode(mixed, out _, out var error));
        Assert.Equal("mixed case", error);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("lightning:", "empty")]
    [InlineData("hello world", "invalid character")]
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "not a lightning invoice (prefix must start with 'ln')")]
    public void RejectsInputThatIsNotAnInvoice(string? text, string expectedError)
    {
        Assert.False(Bolt11Decoder.TryDecode(text, out _, out var error));
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public void RejectsStringsOverTheLengthLimitWithoutWork()
    {
        var huge = "lnbc1" + new string('q', 1_000_000);

        Assert.False(Bolt11Decoder.TryDecode(huge, out _, out var error));
        Assert.Equal("too long", error);
    }

    [Fact]
    public void NeverThrowsOnAnyTruncationOfAValidInvoice()
    {
        foreach (var valid in new[] { Donation, MainnetP2pkhFallbackWithRoutes, PicoAmountOneWeek, CoffeeBeansIgnoredFields })
        {
            for (var length = 0; length < valid.Length; length++)
            {
                Assert.False(Bolt11Decoder.TryDecode(valid[..length], out _, out var error));
                Assert.False(string.IsNullOrWhiteSpace(error));
            }
        }
    }

    [Fact]
    public void NeverThrowsOnRandomMutationsOfValidInvoices()
    {
        var random = new Random(20240601);
        const string alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l1QPZ ~\u00e9\0";
        var samples = new[] { Donation, Hashed, MainnetP2pkhFallbackWithRoutes, PicoAmountOneWeek, PaymentMetadata };
        for (var i = 0; i < 3000; i++)
        {
            var chars = samples[i % samples.Length].ToCharArray();
            var edits = 1 + random.Next(4);
            for (var e = 0; e < edits; e++)
            {
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            }

            var mutated = new string(chars);
            var ok = Bolt11Decoder.TryDecode(mutated, out var invoice, out var error);
            Assert.True(ok ? invoice is not null && error is null : invoice is null && error is not null);
        }
    }

    [Fact]
    public void NeverThrowsOnRandomBytesAndRandomWordsWithValidChecksums()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 400)];
            random.NextBytes(bytes);
            var text = new string([.. bytes.Select(b => (char)b)]);
            Assert.False(Bolt11Decoder.TryDecode(text, out _, out _));

            // Structurally valid bech32 with random 5-bit words: exercises the field parser.
            var words = new byte[random.Next(0, 1200)];
            for (var w = 0; w < words.Length; w++)
            {
                words[w] = (byte)random.Next(32);
            }

            var hrp = random.Next(4) switch
            {
                0 => "lnbc",
                1 => "lnbcrt10u",
                2 => "lntbs2500n",
                _ => "lnsb" + random.Next(1, 999999) + "p",
            };
            var encoded = Bech32.Encode(hrp, words);
            var ok = Bolt11Decoder.TryDecode(encoded, out var invoice, out var error);
            Assert.True(ok ? invoice is not null : error is not null);
        }
    }
}
