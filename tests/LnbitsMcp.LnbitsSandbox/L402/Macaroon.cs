using System.Security.Cryptography;
using System.Text;

namespace LnbitsMcp.LnbitsSandbox.L402;

/// <summary>
/// A macaroon with first-party caveats in the V2 binary format of libmacaroons (doc/format.txt) and Go's
/// gopkg.in/macaroon.v2, which L402 servers such as aperture use: version byte 2; packets of field type + varint
/// length + data (1 location, 2 identifier, 4 verification id, 6 signature); an end-of-section 0 after the header,
/// after each caveat and after the caveat list; then the signature. The signature is the HMAC-SHA256 chain
/// <c>sig₀ = HMAC(K, identifier)</c>, <c>sigᵢ = HMAC(sigᵢ₋₁, caveatᵢ)</c>, where K = HMAC("macaroons-key-generator",
/// root key) as those libraries derive it. (The L402 repository's macaroon-spec.md numbers the fields differently; the
/// libraries are what servers and clients actually exchange.)
/// </summary>
internal sealed record Macaroon(string Location, byte[] Identifier, IReadOnlyList<byte[]> Caveats, byte[] Signature)
{
    private const byte FieldEos = 0;
    private const byte FieldLocation = 1;
    private const byte FieldIdentifier = 2;
    private const byte FieldVerificationId = 4;
    private const byte FieldSignature = 6;
    private static readonly byte[] s_keyGenerator = Encoding.ASCII.GetBytes("macaroons-key-generator");

    public static Macaroon Mint(byte[] rootKey, string location, byte[] identifier, IEnumerable<string> caveats)
    {
        var caveatBytes = caveats.Select(Encoding.UTF8.GetBytes).ToList();
        return new Macaroon(location, identifier, caveatBytes, Chain(rootKey, identifier, caveatBytes));
    }

    public IEnumerable<string> CaveatTexts => Caveats.Select(Encoding.UTF8.GetString);

    public bool HasValidSignature(byte[] rootKey) =>
        CryptographicOperations.FixedTimeEquals(Chain(rootKey, Identifier, Caveats), Signature);

    public byte[] Serialize()
    {
        var data = new List<byte> { 2 };
        if (Location.Length > 0)
        {
            AppendPacket(data, FieldLocation, Encoding.UTF8.GetBytes(Location));
        }

        AppendPacket(data, FieldIdentifier, Identifier);
        data.Add(FieldEos);
        foreach (var caveat in Caveats)
        {
            AppendPacket(data, FieldIdentifier, caveat);
            data.Add(FieldEos);
        }

        data.Add(FieldEos);
        AppendPacket(data, FieldSignature, Signature);
        return [.. data];
    }

    /// <summary>Parses a V2 macaroon with first-party caveats only; false for anything else.</summary>
    public static bool TryParse(byte[] data, out Macaroon? macaroon)
    {
        macaroon = null;
        var position = 0;
        if (data.Length == 0 || data[position++] != 2)
        {
            return false;
        }

        var header = ReadSection(data, ref position);
        if (header is null)
        {
            return false;
        }

        var location = string.Empty;
        if (header.Count > 0 && header[0].Type == FieldLocation)
        {
            location = Encoding.UTF8.GetString(header[0].Data);
            header.RemoveAt(0);
        }

        if (header.Count != 1 || header[0].Type != FieldIdentifier)
        {
            return false;
        }

        var caveats = new List<byte[]>();
        while (true)
        {
            var section = ReadSection(data, ref position);
            if (section is null)
            {
                return false;
            }

            if (section.Count == 0)
            {
                break;
            }

            if (section.Count != 1 || section[0].Type != FieldIdentifier)
            {
                return false; // a location or verification id: a third-party caveat, which L402 does not use
            }

            caveats.Add(section[0].Data);
        }

        if (ReadPacket(data, ref position) is not { Type: FieldSignature } signature || signature.Data.Length != 32 || position != data.Length)
        {
            return false;
        }

        macaroon = new Macaroon(location, header[0].Data, caveats, signature.Data);
        return true;
    }

    private static byte[] Chain(byte[] rootKey, byte[] identifier, IEnumerable<byte[]> caveats)
    {
        var signature = HMACSHA256.HashData(HMACSHA256.HashData(s_keyGenerator, rootKey), identifier);
        foreach (var caveat in caveats)
        {
            signature = HMACSHA256.HashData(signature, caveat);
        }

        return signature;
    }

    private static void AppendPacket(List<byte> data, byte type, byte[] payload)
    {
        data.Add(type);
        for (var length = (ulong)payload.Length; ; length >>= 7)
        {
            if (length < 0x80)
            {
                data.Add((byte)length);
                break;
            }

            data.Add((byte)(length | 0x80));
        }

        data.AddRange(payload);
    }

    private static List<(byte Type, byte[] Data)>? ReadSection(byte[] data, ref int position)
    {
        var packets = new List<(byte Type, byte[] Data)>();
        while (true)
        {
            if (position >= data.Length)
            {
                return null;
            }

            if (data[position] == FieldEos)
            {
                position++;
                return packets;
            }

            if (ReadPacket(data, ref position) is not { } packet || (packets.Count > 0 && packet.Type <= packets[^1].Type))
            {
                return null; // fields must be in increasing order
            }

            if (packet.Type is not (FieldLocation or FieldIdentifier or FieldVerificationId))
            {
                return null;
            }

            packets.Add(packet);
        }
    }

    private static (byte Type, byte[] Data)? ReadPacket(byte[] data, ref int position)
    {
        if (position >= data.Length)
        {
            return null;
        }

        var type = data[position++];
        ulong length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (position >= data.Length || shift > 28)
            {
                return null;
            }

            var b = data[position++];
            length |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        if (length > (ulong)(data.Length - position))
        {
            return null;
        }

        var payload = data.AsSpan(position, (int)length).ToArray();
        position += (int)length;
        return (type, payload);
    }
}
