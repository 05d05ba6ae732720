using System.Security.Cryptography;
using System.Text;
using LnbitsMcp.Server.Lightning;
using NBitcoin.Secp256k1;
using SHA256 = System.Security.Cryptography.SHA256;

namespace LnbitsMcp.Server.Tests.Lightning;

/// <summary>
/// Writes signed BOLT 11 invoices for tests (fields in the order added, RFC 6979 signatures), so the
/// decoder and the LNURL rules can be exercised on invoices the spec does not contain.
/// </summary>
internal sealed class TestInvoiceBuilder(string hrp, long timestamp = Bolt11SpecVectors.SpecTimestamp)
{
    /// <summary>The spec's signing key.</summary>
    public static readonly byte[] SpecPrivateKey =
        Convert.FromHexString("e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734");

    private readonly List<(int Tag, byte[] Words)> _fields = [];

    public TestInvoiceBuilder PaymentHash(string hex = Bolt11SpecVectors.SpecPaymentHash) => Bytes(1, hex);

    public TestInvoiceBuilder PaymentSecret(string hex = Bolt11SpecVectors.SpecPaymentSecret) => Bytes(16, hex);

    public TestInvoiceBuilder Description(string text) => Field(13, Bech32.ToWords(Encoding.UTF8.GetBytes(text)));

    public TestInvoiceBuilder DescriptionHash(string hex) => Bytes(23, hex);

    public TestInvoiceBuilder DescriptionHashOf(string text) =>
        DescriptionHash(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));

    public TestInvoiceBuilder Payee(string hex) => Bytes(19, hex);

    public TestInvoiceBuilder Expiry(long seconds) => Field(6, Number(seconds));

    public TestInvoiceBuilder MinFinalCltv(long blocks) => Field(24, Number(blocks));

    public TestInvoiceBuilder Fallback(int version, string programHex) =>
        Field(9, [(byte)version, .. Bech32.ToWords(Convert.FromHexString(programHex))]);

    public TestInvoiceBuilder Features(params int[] bits)
    {
        var wordCount = bits.Length == 0 ? 0 : bits.Max() / 5 + 1;
        var words = new byte[wordCount];
        foreach (var bit in bits)
        {
            words[wordCount - 1 - bit / 5] |= (byte)(1 << (bit % 5));
        }

        return Field(5, words);
    }

    public TestInvoiceBuilder Bytes(int tag, string hex) => Field(tag, Bech32.ToWords(Convert.FromHexString(hex)));

    public TestInvoiceBuilder Field(int tag, byte[] words)
    {
        _fields.Add((tag, words));
        return this;
    }

    /// <summary>The usual fields: payment hash, secret, description, and payment_secret + var_onion_optin features.</summary>
    public TestInvoiceBuilder Standard(string description = "test") =>
        PaymentHash().PaymentSecret().Description(description).Features(8, 14);

    public string Build(byte[]? privateKey = null)
    {
        var data = new List<byte>();
        for (var i = 6; i >= 0; i--)
        {
            data.Add((byte)((timestamp >> (5 * i)) & 31));
        }

        foreach (var (tag, words) in _fields)
        {
            data.Add((byte)tag);
            data.Add((byte)(words.Length / 32));
            data.Add((byte)(words.Length % 32));
            data.AddRange(words);
        }

        var preimage = Encoding.ASCII.GetBytes(hrp).Concat(Bech32.WordsToBytesPadded([.. data])).ToArray();
        var hash = SHA256.HashData(preimage);
        Assert.True(ECPrivKey.TryCreate(privateKey ?? SpecPrivateKey, Context.Instance, out var key));
        Assert.True(key.TrySignRecoverable(hash, out var signature));
        var compact = new byte[65];
        signature!.WriteToSpanCompact(compact.AsSpan(0, 64), out var recoveryId);
        compact[64] = (byte)recoveryId;
        data.AddRange(Bech32.ToWords(compact));
        return Bech32.Encode(hrp, [.. data]);
    }

    public static string PublicKeyHex(byte[] privateKey)
    {
        Assert.True(ECPrivKey.TryCreate(privateKey, Context.Instance, out var key));
        return Convert.ToHexStringLower(key.CreatePubKey().ToBytes(compressed: true));
    }

    public static byte[] NewPrivateKey() => RandomNumberGenerator.GetBytes(32);

    private static byte[] Number(long value)
    {
        var words = new List<byte>();
        while (value > 0)
        {
            words.Insert(0, (byte)(value & 31));
            value >>= 5;
        }

        return [.. words];
    }
}
