using System.Buffers.Binary;

namespace LnbitsMcp.Server.L402;

/// <summary>
/// Reads the payment hash an L402 token commits to, before paying: the token is a base64 macaroon (V2 binary
/// format of libmacaroons and <c>gopkg.in/macaroon.v2</c>: version byte 2, then fields of varint type, varint length
/// and data; type 1 location, type 2 identifier) whose identifier is <c>uint16 version 0 ‖ payment hash (32) ‖
/// token id (32)</c> (lightninglabs/L402 <c>macaroon-spec.md</c>, aperture). Tokens of another shape are opaque:
/// null, and the server's answer after paying is the only check. Pure.
/// </summary>
public static class MacaroonIdentifier
{
    private const byte V2 = 2;
    private const int LocationField = 1;
    private const int IdentifierField = 2;
    private const int L402IdentifierLength = 2 + 32 + 32;

    /// <summary>The lowercase hex payment hash the token commits to, or null when it is not such a macaroon.</summary>
    public static string? CommittedPaymentHash(string token)
    {
        if (Decode(token) is not { Length: > 1 } bytes || bytes[0] != V2)
        {
            return null;
        }

        var position = 1;
        while (position < bytes.Length)
        {
            if (!TryReadVarint(bytes, ref position, out var type) || type == 0
                || !TryReadVarint(bytes, ref position, out var length) || length > (ulong)(bytes.Length - position))
            {
                return null;
            }

            var data = bytes.AsSpan(position, (int)length);
            position += (int)length;
            if (type == LocationField)
            {
                continue;
            }

            return type == IdentifierField && data.Length == L402IdentifierLength && BinaryPrimitives.ReadUInt16BigEndian(data) == 0
                ? Convert.ToHexStringLower(data.Slice(2, 32))
                : null;
        }

        return null;
    }

    private static bool TryReadVarint(byte[] bytes, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && position < bytes.Length; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static byte[]? Decode(string token)
    {
        var normalized = token.Trim().Replace('-', '+').Replace('_', '/');
        normalized = normalized.PadRight(normalized.Length + ((4 - (normalized.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(normalized);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
