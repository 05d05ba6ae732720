using System.Text;
using System.Text.RegularExpressions;

namespace LnbitsMcp.LnbitsSandbox.Invoices;

/// <summary>Decodes BOLT11 invoices the way LNbits' decoder (bolt11 2.1.1, non-strict) does,
/// including its error messages and its field rules (first p/s/h/d wins, n verified, else payee recovered).</summary>
internal static partial class Bolt11Decoder
{
    private const int SignatureGroups = 104; // 65 bytes = 520 bits

    public static Bolt11Invoice Decode(string bolt11)
    {
        var text = bolt11.Trim().ToLowerInvariant();
        if (!Bech32.TryDecode(text, out var hrp, out var data5))
        {
            throw new Bolt11DecodeException("Bech32 string is not valid.");
        }

        var match = HrpPattern().Match(hrp);
        if (!match.Success)
        {
            throw new Bolt11DecodeException("Human readable part is not valid.");
        }

        var currency = match.Groups[1].Value;
        long? amountMsat = null;
        if (match.Groups[2].Success)
        {
            if (!Bolt11Amount.TryParse(match.Groups[2].Value, out var parsed))
            {
                throw new Bolt11DecodeException("Invalid shortened amount.");
            }

            amountMsat = parsed;
        }

        if (data5.Length < SignatureGroups + 7)
        {
            throw new Bolt11DecodeException("Too short to contain signature");
        }

        var signature = Bech32.ConvertBits(data5.AsSpan(data5.Length - SignatureGroups), 5, 8, pad: false);
        var body = data5[..^SignatureGroups];
        var fields = ReadFields(body);
        var signingHash = Bolt11Encoder.SigningHash(hrp, body);

        string payee;
        if (fields.Payee is { } statedPayee)
        {
            if (!Secp256k1Signatures.Verify(signature.AsSpan(0, 64), signingHash, statedPayee))
            {
                throw new Bolt11DecodeException("Included `payee` could not be verified");
            }

            payee = statedPayee;
        }
        else
        {
            payee = Secp256k1Signatures.TryRecoverPublicKey(signature, signingHash)
                ?? throw new Bolt11DecodeException("Invalid signature");
        }

        if (fields.PaymentHash is null)
        {
            throw new Bolt11DecodeException("Must include 'payment_hash'");
        }

        if (fields.PaymentSecret is null)
        {
            throw new Bolt11DecodeException("Must include 'payment_secret'");
        }

        if (string.IsNullOrEmpty(fields.Description) && fields.DescriptionHash is null)
        {
            throw new Bolt11DecodeException("Must include either 'description' or 'description_hash', but not both");
        }

        return new Bolt11Invoice
        {
            Bolt11 = text,
            Currency = currency,
            AmountMsat = amountMsat,
            Timestamp = ReadInteger(body.AsSpan(0, 7)),
            SignatureHex = Convert.ToHexStringLower(signature.AsSpan(0, 64)),
            PaymentHash = fields.PaymentHash,
            PaymentSecret = fields.PaymentSecret,
            Description = fields.Description,
            DescriptionHash = fields.DescriptionHash,
            Metadata = fields.Metadata,
            Expiry = fields.Expiry ?? 3600,
            MinFinalCltvExpiry = fields.MinFinalCltvExpiry is { } cltv and > 0 ? cltv : 18,
            Features = fields.Features,
            FallbackGroups = fields.Fallback,
            RouteHints = fields.RouteHints,
            Payee = payee,
        };
    }

    public static bool TryDecode(string bolt11, out Bolt11Invoice? invoice, out string? error)
    {
        try
        {
            invoice = Decode(bolt11);
            error = null;
            return true;
        }
        catch (Bolt11DecodeException exception)
        {
            invoice = null;
            error = exception.Message;
            return false;
        }
    }

    private static TaggedFields ReadFields(byte[] body)
    {
        var fields = new TaggedFields();
        var position = 7;
        while (position < body.Length)
        {
            if (position + 3 > body.Length)
            {
                throw new Bolt11DecodeException("Invalid tagged field");
            }

            var tag = body[position];
            var length = body[position + 1] * 32 + body[position + 2];
            position += 3;
            if (position + length > body.Length)
            {
                throw new Bolt11DecodeException("Invalid tagged field length");
            }

            fields.Apply(tag, body.AsSpan(position, length));
            position += length;
        }

        return fields;
    }

    private static long ReadInteger(ReadOnlySpan<byte> groups)
    {
        long value = 0;
        foreach (var group in groups)
        {
            value = (value << 5) | group;
        }

        return value;
    }

    private static byte[] TrimToBytes(ReadOnlySpan<byte> groups) => Bech32.ConvertBits(groups, 5, 8, pad: false);

    [GeneratedRegex(@"^ln(bcrt|bc|tbs|tb)(\w+)?")]
    private static partial Regex HrpPattern();

    private sealed class TaggedFields
    {
        public string? PaymentHash { get; private set; }

        public string? PaymentSecret { get; private set; }

        public string? Description { get; private set; }

        public string? DescriptionHash { get; private set; }

        public string? Payee { get; private set; }

        public string? Metadata { get; private set; }

        public int? Expiry { get; private set; }

        public int? MinFinalCltvExpiry { get; private set; }

        public IReadOnlyList<KeyValuePair<string, string>>? Features { get; private set; }

        public byte[]? Fallback { get; private set; }

        public List<IReadOnlyList<RouteHintHop>> RouteHints { get; } = [];

        public void Apply(byte tag, ReadOnlySpan<byte> data)
        {
            switch (tag)
            {
                case Bolt11Tags.PaymentHash when data.Length == 52 && PaymentHash is null:
                    PaymentHash = Convert.ToHexStringLower(TrimToBytes(data));
                    break;
                case Bolt11Tags.DescriptionHash when data.Length == 52 && DescriptionHash is null && Description is null:
                    DescriptionHash = Convert.ToHexStringLower(TrimToBytes(data));
                    break;
                case Bolt11Tags.PaymentSecret when data.Length == 52 && PaymentSecret is null:
                    PaymentSecret = Convert.ToHexStringLower(TrimToBytes(data));
                    break;
                case Bolt11Tags.Payee when data.Length == 53 && Payee is null:
                    Payee = Convert.ToHexStringLower(TrimToBytes(data));
                    break;
                case Bolt11Tags.Description when Description is null && DescriptionHash is null:
                    Description = DecodeUtf8(TrimToBytes(data));
                    break;
                case Bolt11Tags.Metadata when Metadata is null:
                    Metadata = Convert.ToHexStringLower(TrimToBytes(data));
                    break;
                case Bolt11Tags.Expiry when Expiry is null:
                    Expiry = (int)Math.Min(int.MaxValue, ReadInteger(data));
                    break;
                case Bolt11Tags.MinFinalCltvExpiry when MinFinalCltvExpiry is null:
                    MinFinalCltvExpiry = (int)Math.Min(int.MaxValue, ReadInteger(data));
                    break;
                case Bolt11Tags.Features when Features is null:
                    Features = ReadFeatures(data);
                    break;
                case Bolt11Tags.Fallback when Fallback is null:
                    Fallback = data.ToArray();
                    break;
                case Bolt11Tags.RouteHint:
                    RouteHints.Add(ReadRouteHint(data));
                    break;
                default:
                    break; // unknown fields are skipped
            }
        }

        private static string DecodeUtf8(byte[] bytes)
        {
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new Bolt11DecodeException("'utf-8' codec can't decode the description");
            }
        }

        private static List<KeyValuePair<string, string>> ReadFeatures(ReadOnlySpan<byte> data)
        {
            var features = new List<KeyValuePair<string, string>>();
            var totalBits = data.Length * 5;
            for (var bit = 0; bit < totalBits; bit++)
            {
                var group = data[data.Length - 1 - bit / 5];
                if (((group >> (bit % 5)) & 1) == 0)
                {
                    continue;
                }

                var index = bit / 2;
                var name = index < Bolt11Tags.FeatureNames.Length ? Bolt11Tags.FeatureNames[index] : $"extra_{index}";
                features.Add(new(name, bit % 2 == 1 ? "supported" : "required"));
            }

            return features;
        }

        private static List<RouteHintHop> ReadRouteHint(ReadOnlySpan<byte> data)
        {
            var bytes = TrimToBytes(data);
            var hops = new List<RouteHintHop>();
            for (var offset = 0; (offset + 51) * 8 < data.Length * 5; offset += 51)
            {
                var hop = bytes.AsSpan(offset, 51);
                var scid = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hop[33..41]);
                hops.Add(new RouteHintHop(
                    Convert.ToHexStringLower(hop[..33]),
                    $"{(scid >> 40) & 0xFFFFFF}x{(scid >> 16) & 0xFFFFFF}x{scid & 0xFFFF}",
                    System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(hop[41..45]),
                    System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(hop[45..49]),
                    System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(hop[49..51])));
            }

            return hops;
        }
    }
}
