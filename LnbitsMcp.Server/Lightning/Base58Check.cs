using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace LnbitsMcp.Server.Lightning;

/// <summary>Base58Check encoding of legacy Bitcoin addresses (version byte, payload, 4-byte double-SHA-256 checksum).</summary>
public static class Base58Check
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>Encodes <paramref name="version"/> followed by <paramref name="payload"/> with its checksum.</summary>
    public static string Encode(byte version, ReadOnlySpan<byte> payload)
    {
        var data = new byte[1 + payload.Length + 4];
        data[0] = version;
        payload.CopyTo(data.AsSpan(1));
        var checksum = SHA256.HashData(SHA256.HashData(data.AsSpan(0, 1 + payload.Length)));
        checksum.AsSpan(0, 4).CopyTo(data.AsSpan(1 + payload.Length));

        var value = new BigInteger(data, isUnsigned: true, isBigEndian: true);
        var builder = new StringBuilder();
        while (value > 0)
        {
            value = BigInteger.DivRem(value, 58, out var remainder);
            builder.Insert(0, Alphabet[(int)remainder]);
        }

        foreach (var b in data)
        {
            if (b != 0)
            {
                break;
            }

            builder.Insert(0, Alphabet[0]);
        }

        return builder.ToString();
    }
}
