using System.Numerics;
using System.Security.Cryptography;

namespace LnbitsMcp.LnbitsSandbox.Invoices;

/// <summary>The on-chain fallback (<c>f</c> field) as the bolt11 library renders it: version 17/18 as base58check
/// P2PKH/P2SH, versions 0–16 as a plain bech32 string of the field's 5-bit groups; only for <c>bc</c> and <c>tb</c>.</summary>
internal static class FallbackAddress
{
    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>The address, or null for version 19 (ignored); unsupported cases raise the library's message.</summary>
    public static string? Format(string currency, byte[] groups)
    {
        var version = groups.Length > 0 ? groups[0] : 0;
        if (version == 19)
        {
            return null;
        }

        (byte P2pkh, byte P2sh) prefixes = currency switch
        {
            "bc" => (0, 5),
            "tb" => (111, 196),
            _ => throw new Bolt11DecodeException("Unknown currency"),
        };

        return version switch
        {
            17 => Base58Check(prefixes.P2pkh, Bech32.ConvertBits(groups.AsSpan(1), 5, 8, pad: true)),
            18 => Base58Check(prefixes.P2sh, Bech32.ConvertBits(groups.AsSpan(1), 5, 8, pad: true)),
            <= 16 => Bech32.Encode(currency, groups),
            _ => throw new Bolt11DecodeException("Unknown witness version"),
        };
    }

    private static string Base58Check(byte prefix, byte[] program)
    {
        byte[] payload = [prefix, .. program];
        var checksum = SHA256.HashData(SHA256.HashData(payload))[..4];
        byte[] data = [.. payload, .. checksum];
        var number = new BigInteger(data, isUnsigned: true, isBigEndian: true);
        var result = new List<char>();
        while (number > 0)
        {
            number = BigInteger.DivRem(number, 58, out var remainder);
            result.Insert(0, Base58Alphabet[(int)remainder]);
        }

        foreach (var b in data)
        {
            if (b != 0)
            {
                break;
            }

            result.Insert(0, '1');
        }

        return new string([.. result]);
    }
}
