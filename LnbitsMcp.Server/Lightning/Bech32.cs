using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace LnbitsMcp.Server.Lightning;

/// <summary>The checksum constant in use: BIP-173 (bech32) or BIP-350 (bech32m).</summary>
public enum Bech32Encoding
{
    Bech32,
    Bech32m,
}

/// <summary>A decoded bech32 string: its lowercase human-readable part and its 5-bit data words (checksum removed).</summary>
public sealed record Bech32Data(string Hrp, byte[] Words, Bech32Encoding Encoding);

/// <summary>
/// Bech32 and bech32m (BIP-173, BIP-350). Decoding takes the length limit as an argument:
/// addresses use BIP-173's 90 characters, BOLT 11 invoices and LUD-01 LNURLs lift it.
/// </summary>
public static class Bech32
{
    /// <summary>BIP-173's limit for addresses.</summary>
    public const int MaxStandardLength = 90;

    /// <summary>Our limit for invoices and LNURLs (BOLT 11 drops BIP-173's limit; this is the largest QR code).</summary>
    public const int MaxInvoiceLength = 7089;

    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private const uint Bech32Constant = 1;
    private const uint Bech32mConstant = 0x2bc830a3;

    private static readonly sbyte[] CharsetReverse = BuildReverse();

    /// <summary>
    /// Decodes <paramref name="text"/>: rejects lengths outside 8..<paramref name="maxLength"/>,
    /// characters outside US-ASCII 33..126 or the bech32 alphabet, mixed case, a missing separator,
    /// an empty human-readable part and a bad checksum (bech32 or bech32m both accepted; the variant is reported).
    /// </summary>
    public static bool TryDecode(
        string? text,
        int maxLength,
        [NotNullWhen(true)] out Bech32Data? result,
        [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "empty";
            return false;
        }

        if (text.Length > maxLength)
        {
            error = $"too long (more than {maxLength} characters)";
            return false;
        }

        if (text.Length < 8)
        {
            error = "too short";
            return false;
        }

        var hasLower = false;
        var hasUpper = false;
        foreach (var c in text)
        {
            if (c < 33 || c > 126)
            {
                error = "invalid character";
                return false;
            }

            hasLower |= c is >= 'a' and <= 'z';
            hasUpper |= c is >= 'A' and <= 'Z';
        }

        if (hasLower && hasUpper)
        {
            error = "mixed case";
            return false;
        }

        var lower = text.ToLowerInvariant();
        var separator = lower.LastIndexOf('1');
        if (separator < 0)
        {
            error = "missing separator '1'";
            return false;
        }

        if (separator == 0)
        {
            error = "empty human-readable part";
            return false;
        }

        if (separator + 7 > lower.Length)
        {
            error = "too short";
            return false;
        }

        var words = new byte[lower.Length - separator - 1];
        for (var i = 0; i < words.Length; i++)
        {
            var c = lower[separator + 1 + i];
            var value = c < 128 ? CharsetReverse[c] : -1;
            if (value < 0)
            {
                error = "invalid character";
                return false;
            }

            words[i] = (byte)value;
        }

        var hrp = lower[..separator];
        var check = Polymod(hrp, words);
        Bech32Encoding encoding;
        if (check == Bech32Constant)
        {
            encoding = Bech32Encoding.Bech32;
        }
        else if (check == Bech32mConstant)
        {
            encoding = Bech32Encoding.Bech32m;
        }
        else
        {
            error = "checksum invalid";
            return false;
        }

        result = new Bech32Data(hrp, words[..^6], encoding);
        error = null;
        return true;
    }

    /// <summary>Encodes lowercase <paramref name="hrp"/> and 5-bit <paramref name="words"/> with a checksum.</summary>
    public static string Encode(string hrp, ReadOnlySpan<byte> words, Bech32Encoding encoding = Bech32Encoding.Bech32)
    {
        ArgumentException.ThrowIfNullOrEmpty(hrp);
        var lowerHrp = hrp.ToLowerInvariant();
        foreach (var c in lowerHrp)
        {
            if (c < 33 || c > 126)
            {
                throw new ArgumentException("The human-readable part has a character outside US-ASCII 33..126.", nameof(hrp));
            }
        }

        var withChecksum = new byte[words.Length + 6];
        for (var i = 0; i < words.Length; i++)
        {
            if (words[i] > 31)
            {
                throw new ArgumentException("A word is larger than 5 bits.", nameof(words));
            }

            withChecksum[i] = words[i];
        }

        var constant = encoding == Bech32Encoding.Bech32m ? Bech32mConstant : Bech32Constant;
        var polymod = Polymod(lowerHrp, withChecksum) ^ constant;
        for (var i = 0; i < 6; i++)
        {
            withChecksum[words.Length + i] = (byte)((polymod >> (5 * (5 - i))) & 31);
        }

        var builder = new StringBuilder(lowerHrp.Length + 1 + withChecksum.Length);
        builder.Append(lowerHrp).Append('1');
        foreach (var word in withChecksum)
        {
            builder.Append(Charset[word]);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Regroups bits (e.g. 8→5 or 5→8). With <paramref name="pad"/> the last group is zero-padded;
    /// without it, leftover bits must be fewer than <paramref name="fromBits"/> and all zero (BIP-173's rule).
    /// </summary>
    public static bool TryConvertBits(
        ReadOnlySpan<byte> data,
        int fromBits,
        int toBits,
        bool pad,
        [NotNullWhen(true)] out byte[]? result)
    {
        result = null;
        if (fromBits is < 1 or > 8 || toBits is < 1 or > 8)
        {
            return false;
        }

        var output = new List<byte>(data.Length * fromBits / toBits + 1);
        var accumulator = 0;
        var bits = 0;
        var maxValue = (1 << toBits) - 1;
        foreach (var value in data)
        {
            if (value >> fromBits != 0)
            {
                return false;
            }

            accumulator = ((accumulator << fromBits) | value) & 0xffff;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                output.Add((byte)((accumulator >> bits) & maxValue));
            }
        }

        if (pad)
        {
            if (bits > 0)
            {
                output.Add((byte)((accumulator << (toBits - bits)) & maxValue));
            }
        }
        else if (bits >= fromBits || ((accumulator << (toBits - bits)) & maxValue) != 0)
        {
            return false;
        }

        result = [.. output];
        return true;
    }

    /// <summary>8-bit bytes to 5-bit words, zero-padded.</summary>
    public static byte[] ToWords(ReadOnlySpan<byte> bytes)
    {
        TryConvertBits(bytes, 8, 5, pad: true, out var words);
        return words!;
    }

    /// <summary>
    /// 5-bit words to bytes, zero-padding the last byte (BOLT 11's rule for the signed data).
    /// </summary>
    public static byte[] WordsToBytesPadded(ReadOnlySpan<byte> words)
    {
        var result = new byte[(words.Length * 5 + 7) / 8];
        PackWords(words, result);
        return result;
    }

    /// <summary>
    /// 5-bit words to bytes, dropping the trailing bits that do not fill a byte (BOLT 11 tagged-field data,
    /// whose writers pad to a multiple of 5 bits).
    /// </summary>
    public static byte[] WordsToBytesTruncated(ReadOnlySpan<byte> words)
    {
        var result = new byte[words.Length * 5 / 8];
        PackWords(words, result);
        return result;
    }

    /// <summary>A segwit address (BIP-173 for version 0, BIP-350 bech32m for versions 1..16).</summary>
    public static string EncodeSegwitAddress(string hrp, int witnessVersion, ReadOnlySpan<byte> program)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(witnessVersion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(witnessVersion, 16);
        var programWords = ToWords(program);
        var words = new byte[programWords.Length + 1];
        words[0] = (byte)witnessVersion;
        programWords.CopyTo(words, 1);
        return Encode(hrp, words, witnessVersion == 0 ? Bech32Encoding.Bech32 : Bech32Encoding.Bech32m);
    }

    private static void PackWords(ReadOnlySpan<byte> words, Span<byte> destination)
    {
        var bitIndex = 0;
        foreach (var word in words)
        {
            for (var b = 4; b >= 0; b--, bitIndex++)
            {
                if (bitIndex >= destination.Length * 8)
                {
                    return;
                }

                if (((word >> b) & 1) != 0)
                {
                    destination[bitIndex / 8] |= (byte)(0x80 >> (bitIndex % 8));
                }
            }
        }
    }

    private static uint Polymod(string hrp, ReadOnlySpan<byte> words)
    {
        uint chk = 1;
        foreach (var c in hrp)
        {
            chk = PolymodStep(chk) ^ (uint)(c >> 5);
        }

        chk = PolymodStep(chk);
        foreach (var c in hrp)
        {
            chk = PolymodStep(chk) ^ (uint)(c & 31);
        }

        foreach (var word in words)
        {
            chk = PolymodStep(chk) ^ word;
        }

        return chk;
    }

    private static uint PolymodStep(uint pre)
    {
        var top = pre >> 25;
        var chk = (pre & 0x1ffffff) << 5;
        if ((top & 1) != 0) { chk ^= 0x3b6a57b2; }
        if ((top & 2) != 0) { chk ^= 0x26508e6d; }
        if ((top & 4) != 0) { chk ^= 0x1ea119fa; }
        if ((top & 8) != 0) { chk ^= 0x3d4233dd; }
        if ((top & 16) != 0) { chk ^= 0x2a1462b3; }
        return chk;
    }

    private static sbyte[] BuildReverse()
    {
        var reverse = new sbyte[128];
        Array.Fill(reverse, (sbyte)-1);
        for (var i = 0; i < Charset.Length; i++)
        {
            reverse[Charset[i]] = (sbyte)i;
        }

        return reverse;
    }
}
