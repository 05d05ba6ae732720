using System.Security.Cryptography;
using System.Text;

namespace LnbitsMcp.LnbitsSandbox.Invoices;

/// <summary>Encodes and signs BOLT11 invoices: hrp <c>ln</c> + currency + amount, 35-bit timestamp,
/// tagged fields p, s, d|h, x, c, 9, then a 65-byte recoverable signature over sha256(hrp || data).</summary>
internal static class Bolt11Encoder
{
    public static string Encode(InvoiceDraft draft, LightningNodeKey key)
    {
        var hrp = "ln" + draft.Currency + (draft.AmountMsat is { } amount ? Bolt11Amount.Format(amount) : string.Empty);
        var data = new List<byte>();
        data.AddRange(IntegerGroups(draft.Timestamp, fixedLength: 7));
        AddField(data, Bolt11Tags.PaymentHash, Bech32.ConvertBits(draft.PaymentHash, 8, 5, pad: true));
        AddField(data, Bolt11Tags.PaymentSecret, Bech32.ConvertBits(draft.PaymentSecret, 8, 5, pad: true));
        if (draft.DescriptionHash is { } descriptionHash)
        {
            AddField(data, Bolt11Tags.DescriptionHash, Bech32.ConvertBits(descriptionHash, 8, 5, pad: true));
        }
        else
        {
            var description = Encoding.UTF8.GetBytes(draft.Description ?? string.Empty);
            AddField(data, Bolt11Tags.Description, Bech32.ConvertBits(description, 8, 5, pad: true));
        }

        AddField(data, Bolt11Tags.Expiry, IntegerGroups(draft.ExpirySeconds));
        AddField(data, Bolt11Tags.MinFinalCltvExpiry, IntegerGroups(draft.MinFinalCltvExpiry));
        AddField(data, Bolt11Tags.Features, FeatureGroups(Bolt11Tags.SandboxFeatureBits));

        var signature = key.SignRecoverable(SigningHash(hrp, [.. data]));
        data.AddRange(Bech32.ConvertBits(signature, 8, 5, pad: true));
        return Bech32.Encode(hrp, [.. data]);
    }

    /// <summary>sha256 over the hrp (ASCII) followed by the data part regrouped into bytes (zero padded).</summary>
    public static byte[] SigningHash(string hrp, ReadOnlySpan<byte> data5)
    {
        var message = Encoding.ASCII.GetBytes(hrp).Concat(Bech32.ConvertBits(data5, 5, 8, pad: true)).ToArray();
        return SHA256.HashData(message);
    }

    private static void AddField(List<byte> data, byte tag, IReadOnlyCollection<byte> groups)
    {
        if (groups.Count >= 1024)
        {
            throw new ArgumentException("Tagged field too long for BOLT11.", nameof(groups));
        }

        data.Add(tag);
        data.Add((byte)(groups.Count >> 5));
        data.Add((byte)(groups.Count & 31));
        data.AddRange(groups);
    }

    /// <summary>Big-endian 5-bit groups; minimal length unless a fixed length is given.</summary>
    private static byte[] IntegerGroups(long value, int fixedLength = 0)
    {
        var groups = new List<byte>();
        while (value > 0)
        {
            groups.Insert(0, (byte)(value & 31));
            value >>= 5;
        }

        while (groups.Count < fixedLength)
        {
            groups.Insert(0, 0);
        }

        return [.. groups];
    }

    private static byte[] FeatureGroups(IEnumerable<int> bits)
    {
        var value = 0L;
        foreach (var bit in bits)
        {
            value |= 1L << bit;
        }

        return IntegerGroups(value);
    }
}
