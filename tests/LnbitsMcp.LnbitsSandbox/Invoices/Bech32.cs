namespace LnbitsMcp.LnbitsSandbox.Invoices;

/// <summary>
/// Bech32 (BIP-173) as BOLT11 uses it: same checksum, no 90-character limit.
/// Data is handled as 5-bit groups (one byte per group).
/// </summary>
internal static class Bech32
{
    public const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    public static string Encode(string hrp, ReadOnlySpan<byte> data5)
    {
        var checksum = CreateChecksum(hrp, data5);
        var chars = new char[hrp.Length + 1 + data5.Length + checksum.Length];
        hrp.CopyTo(0, chars, 0, hrp.Length);
        chars[hrp.Length] = '1';
        var position = hrp.Length + 1;
        foreach (var group in data5)
        {
            chars[position++] = Charset[group];
        }

        foreach (var group in checksum)
        {
            chars[position++] = Charset[group];
        }

        return new string(chars);
    }

    /// <summary>Decodes a bech32 string (mixed case rejected). Returns false when it is not valid bech32.</summary>
    public static bool TryDecode(string text, out string hrp, out byte[] data5)
    {
        hrp = string.Empty;
        data5 = [];
        if (text.Any(c => c < 33 || c > 126))
        {
            return false;
        }

        if (!string.Equals(text, text.ToLowerInvariant(), StringComparison.Ordinal)
            && !string.Equals(text, text.ToUpperInvariant(), StringComparison.Ordinal))
        {
            return false;
        }

        var lower = text.ToLowerInvariant();
        var separator = lower.LastIndexOf('1');
        if (separator < 1 || separator + 7 > lower.Length)
        {
            return false;
        }

        var values = new byte[lower.Length - separator - 1];
        for (var i = 0; i < values.Length; i++)
        {
            var index = Charset.IndexOf(lower[separator + 1 + i], StringComparison.Ordinal);
            if (index < 0)
            {
                return false;
            }

            values[i] = (byte)index;
        }

        var candidateHrp = lower[..separator];
        if (Polymod(HrpExpand(candidateHrp).Concat(values).ToArray()) != 1)
        {
            return false;
        }

        hrp = candidateHrp;
        data5 = values[..^6];
        return true;
    }

    /// <summary>Regroups bits, e.g. 8-bit bytes to 5-bit groups (pad = true) or back (pad = false).</summary>
    public static byte[] ConvertBits(ReadOnlySpan<byte> data, int fromBits, int toBits, bool pad)
    {
        var accumulator = 0;
        var bits = 0;
        var maxValue = (1 << toBits) - 1;
        var result = new List<byte>(data.Length * fromBits / toBits + 1);
        foreach (var value in data)
        {
            accumulator = (accumulator << fromBits) | value;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                result.Add((byte)((accumulator >> bits) & maxValue));
            }
        }

        if (pad && bits > 0)
        {
            result.Add((byte)((accumulator << (toBits - bits)) & maxValue));
        }

        return [.. result];
    }

    private static byte[] CreateChecksum(string hrp, ReadOnlySpan<byte> data5)
    {
        var values = HrpExpand(hrp).Concat(data5.ToArray()).Concat(new byte[6]).ToArray();
        var polymod = Polymod(values) ^ 1;
        var checksum = new byte[6];
        for (var i = 0; i < 6; i++)
        {
            checksum[i] = (byte)((polymod >> (5 * (5 - i))) & 31);
        }

        return checksum;
    }

    private static byte[] HrpExpand(string hrp)
    {
        var result = new byte[hrp.Length * 2 + 1];
        for (var i = 0; i < hrp.Length; i++)
        {
            result[i] = (byte)(hrp[i] >> 5);
            result[hrp.Length + 1 + i] = (byte)(hrp[i] & 31);
        }

        return result;
    }

    private static uint Polymod(byte[] values)
    {
        uint checksum = 1;
        foreach (var value in values)
        {
            var top = checksum >> 25;
            checksum = ((checksum & 0x1ffffff) << 5) ^ value;
            for (var i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) == 1)
                {
                    checksum ^= Generator[i];
                }
            }
        }

        return checksum;
    }
}
