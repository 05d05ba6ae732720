using System.Text;
using NBitcoin.Secp256k1;

namespace LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;

/// <summary>A small BOLT11 reader written for the tests, independent of the sandbox's encoder/decoder:
/// bech32 checksum, hrp, timestamp, raw tagged fields, and the signer recovered with secp256k1.</summary>
public sealed class IndependentBolt11
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private readonly List<(char Tag, byte[] Groups)> _fields = [];

    private IndependentBolt11(string hrp, long timestamp, string signerNodeId, bool lowS)
    {
        Hrp = hrp;
        Timestamp = timestamp;
        SignerNodeId = signerNodeId;
        SignatureIsLowS = lowS;
    }

    public string Hrp { get; }

    public long Timestamp { get; }

    /// <summary>Compressed public key recovered from the signature over sha256(hrp || data).</summary>
    public string SignerNodeId { get; }

    public bool SignatureIsLowS { get; }

    public IReadOnlyList<(char Tag, byte[] Groups)> Fields => _fields;

    public static IndependentBolt11 Parse(string invoice)
    {
        var text = invoice.ToLowerInvariant();
        var separator = text.LastIndexOf('1');
        var hrp = text[..separator];
        var values = text[(separator + 1)..].Select(c => (byte)Charset.IndexOf(c)).ToArray();
        Assert.DoesNotContain((byte)255, values);
        Assert.Equal(1u, Polymod([.. ExpandHrp(hrp), .. values]));

        var data = values[..^6];
        var signatureGroups = data[^104..];
        var body = data[..^104];
        var signature = Regroup(signatureGroups, 5, 8, false);
        var hash = System.Security.Cryptography.SHA256.HashData([.. Encoding.ASCII.GetBytes(hrp), .. Regroup(body, 5, 8, true)]);
        Assert.True(SecpRecoverableECDSASignature.TryCreateFromCompact(signature.AsSpan(0, 64), signature[64], out var recoverable));
        Assert.True(ECPubKey.TryRecover(Context.Instance, recoverable!, hash, out var publicKey));
        var compact = recoverable!.ToSignature();
        var lowS = !compact.s.IsHigh;
        Assert.True(publicKey!.SigVerify(compact, hash));

        var timestamp = 0L;
        for (var i = 0; i < 7; i++)
        {
            timestamp = (timestamp << 5) | body[i];
        }

        var parsed = new IndependentBolt11(hrp, timestamp, Convert.ToHexStringLower(publicKey.ToBytes(true)), lowS);
        var position = 7;
        while (position < body.Length)
        {
            var tag = Charset[body[position]];
            var length = body[position + 1] * 32 + body[position + 2];
            parsed._fields.Add((tag, body[(position + 3)..(position + 3 + length)]));
            position += 3 + length;
        }

        return parsed;
    }

    public byte[] Bytes(char tag) => Regroup(_fields.Single(f => f.Tag == tag).Groups, 5, 8, false);

    public string Hex(char tag) => Convert.ToHexStringLower(Bytes(tag));

    public long Number(char tag) => _fields.Single(f => f.Tag == tag).Groups.Aggregate(0L, (value, group) => (value << 5) | group);

    public bool Has(char tag) => _fields.Any(f => f.Tag == tag);

    private static byte[] ExpandHrp(string hrp) =>
        [.. hrp.Select(c => (byte)(c >> 5)), 0, .. hrp.Select(c => (byte)(c & 31))];

    private static uint Polymod(byte[] values)
    {
        uint[] generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        uint checksum = 1;
        foreach (var value in values)
        {
            var top = checksum >> 25;
            checksum = ((checksum & 0x1ffffff) << 5) ^ value;
            for (var i = 0; i < 5; i++)
            {
                checksum ^= ((top >> i) & 1) == 1 ? generator[i] : 0;
            }
        }

        return checksum;
    }

    private static byte[] Regroup(byte[] data, int from, int to, bool pad)
    {
        var result = new List<byte>();
        int accumulator = 0, bits = 0;
        foreach (var value in data)
        {
            accumulator = (accumulator << from) | value;
            bits += from;
            while (bits >= to)
            {
                bits -= to;
                result.Add((byte)((accumulator >> bits) & ((1 << to) - 1)));
            }
        }

        if (pad && bits > 0)
        {
            result.Add((byte)((accumulator << (to - bits)) & ((1 << to) - 1)));
        }

        return [.. result];
    }
}
