using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Text;
using LnbitsMcp.Server.Caching;
using NBitcoin.Secp256k1;
using SHA256 = System.Security.Cryptography.SHA256;

namespace LnbitsMcp.Server.Lightning;

/// <summary>
/// Decodes and checks BOLT 11 invoices (lightning/bolts 11-payment-encoding.md). Pure: no I/O.
/// </summary>
/// <remarks>
/// Reader rules applied: bech32 without the 90-character limit (up to <see cref="Bech32.MaxInvoiceLength"/>),
/// a known currency prefix, an amount with no leading zeros, a valid multiplier and whole millisatoshis,
/// a 35-bit timestamp, tagged fields within the data, exactly one valid <c>p</c>, exactly one of
/// <c>d</c>/<c>h</c>, a valid <c>s</c>, no unknown even feature bits and <c>basic_mpp</c> only with
/// <c>payment_secret</c>, a 65-byte signature with recovery id 0..3, low-S when <c>n</c> is given,
/// and public-key recovery otherwise.
/// <para>
/// Fixed-length fields (<c>p</c>, <c>h</c>, <c>s</c>, <c>n</c>) with the wrong length are skipped, as the
/// spec's test vector "including fields which must be ignored" requires (its prose now says "fail";
/// the vector still lists such an invoice as valid). Non-minimal <c>x</c>, <c>c</c> and <c>9</c>
/// encodings (a SHOULD) are accepted. Unknown fields and fallback versions 19..31 are skipped.
/// </para>
/// </remarks>
public static class Bolt11Decoder
{
    private const string LightningScheme = "lightning:";
    private const int TimestampWords = 7;
    private const int SignatureWords = 104;

    // Tag values (5-bit) of the fields we read.
    private const int TagPaymentHash = 1;        // p
    private const int TagRouteHint = 3;          // r
    private const int TagFeatures = 5;           // 9
    private const int TagExpiry = 6;             // x
    private const int TagFallback = 9;           // f
    private const int TagDescription = 13;       // d
    private const int TagPaymentSecret = 16;     // s
    private const int TagPayee = 19;             // n
    private const int TagDescriptionHash = 23;   // h
    private const int TagMinFinalCltv = 24;      // c
    private const int TagMetadata = 27;          // m

    private const int RouteHopBytes = 33 + 8 + 4 + 4 + 2;

    // Half of the secp256k1 group order: s above this is "high-S".
    private static readonly BigInteger GroupOrder = new(
        Convert.FromHexString("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141"), isUnsigned: true, isBigEndian: true);

    private static readonly BigInteger HalfOrder = GroupOrder / 2;

    /// <summary>How many recently decoded invoices are kept (see <see cref="TryDecode"/>).</summary>
    public const int RecentCapacity = 1024;

    private static readonly BoundedMap<string, Bolt11Invoice> s_recent = new(RecentCapacity, StringComparer.Ordinal);

    /// <summary>
    /// Decodes <paramref name="text"/> (optionally prefixed with <c>lightning:</c>, any case; all upper or all
    /// lower case). Never throws: on failure <paramref name="error"/> is a short message suitable for
    /// <c>invalid_invoice: &lt;message&gt;</c>.
    /// </summary>
    /// <remarks>
    /// The result depends on the text alone (expiry is judged by the caller against its clock), so the
    /// last <see cref="RecentCapacity"/> valid invoices are kept: decoding the same invoice again (decode,
    /// then pay_invoice with a dry run and a confirmation) skips the signature check, the bulk of the cost.
    /// Invalid texts are never kept; when full, the set starts over.
    /// </remarks>
    public static bool TryDecode(
        string? text,
        [NotNullWhen(true)] out Bolt11Invoice? invoice,
        [NotNullWhen(false)] out string? error)
    {
        if (text is not null && s_recent.TryGetValue(text, out var recent))
        {
            invoice = recent;
            error = null;
            return true;
        }

        invoice = null;
        try
        {
            if (!TryDecodeCore(text, out var decoded, out error) || decoded is null)
            {
                error ??= "malformed invoice";
                return false;
            }

            s_recent.Keep(text!, decoded);
            invoice = decoded;
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Defensive: the parser checks bounds itself; this keeps the "never throws" promise.
            invoice = null;
            error = "malformed invoice";
            return false;
        }
    }

    private static bool TryDecodeCore(string? text, out Bolt11Invoice? invoice, out string? error)
    {
        invoice = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return Fail("empty", out error);
        }

        if (text.Length > Bech32.MaxInvoiceLength + LightningScheme.Length + 64)
        {
            return Fail("too long", out error);
        }

        var trimmed = text.Trim();
        if (trimmed.StartsWith(LightningScheme, StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[LightningScheme.Length..];
        }

        if (!Bech32.TryDecode(trimmed, Bech32.MaxInvoiceLength, out var bech32, out var bech32Error))
        {
            return Fail(bech32Error, out error);
        }

        if (bech32.Encoding != Bech32Encoding.Bech32)
        {
            return Fail("checksum invalid", out error);
        }

        if (!TryParseHrp(bech32.Hrp, out var network, out var amountMsat, out error))
        {
            return false;
        }

        var words = bech32.Words;
        if (words.Length < TimestampWords + SignatureWords)
        {
            return Fail("too short", out error);
        }

        var dataWords = words.AsSpan(0, words.Length - SignatureWords);
        var signature = Bech32.WordsToBytesTruncated(words.AsSpan(words.Length - SignatureWords));
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(ReadNumber(dataWords[..TimestampWords]));

        var fields = new Fields();
        if (!TryReadFields(dataWords[TimestampWords..], network, fields, out error))
        {
            return false;
        }

        if (fields.PaymentHash is null)
        {
            return Fail("missing payment hash (p field)", out error);
        }

        if (fields.Description is null && fields.DescriptionHash is null)
        {
            return Fail("missing description (d or h field)", out error);
        }

        if (fields.Description is not null && fields.DescriptionHash is not null)
        {
            return Fail("both description (d) and description hash (h) present", out error);
        }

        if (fields.PaymentSecret is null)
        {
            return Fail("missing payment secret (s field)", out error);
        }

        if (!TryCheckSignature(bech32.Hrp, dataWords, signature, fields.Payee, out var payee, out var signatureValid, out error))
        {
            return false;
        }

        invoice = new Bolt11Invoice
        {
            Bolt11 = trimmed.ToLowerInvariant(),
            Network = network,
            AmountMsat = amountMsat,
            Timestamp = timestamp,
            ExpirySeconds = fields.ExpirySeconds ?? Bolt11Invoice.DefaultExpirySeconds,
            PaymentHash = fields.PaymentHash,
            PaymentSecret = fields.PaymentSecret,
            Description = fields.Description,
            DescriptionHash = fields.DescriptionHash,
            Payee = payee,
            MinFinalCltvExpiry = fields.MinFinalCltv ?? Bolt11Invoice.DefaultMinFinalCltvExpiry,
            Features = fields.Features,
            RouteHints = fields.RouteHints.AsReadOnly(),
            FallbackAddresses = fields.Fallbacks.AsReadOnly(),
            Metadata = fields.Metadata,
            SignatureValid = signatureValid,
        };
        error = null;
        return true;
    }

    private static bool TryParseHrp(string hrp, out LightningNetwork network, out long? amountMsat, out string? error)
    {
        network = default;
        amountMsat = null;
        if (!hrp.StartsWith("ln", StringComparison.Ordinal))
        {
            return Fail("not a lightning invoice (prefix must start with 'ln')", out error);
        }

        var afterLn = hrp[2..];
        if (!LightningNetworks.TryMatchCurrencyPrefix(afterLn, out network, out var currencyLength))
        {
            return Fail("unknown currency prefix", out error);
        }

        var amount = afterLn[currencyLength..];
        if (amount.Length == 0)
        {
            error = null;
            return true;
        }

        var multiplier = amount[^1];
        var digits = char.IsAsciiDigit(multiplier) ? amount : amount[..^1];
        if (!char.IsAsciiDigit(multiplier) && multiplier is not ('m' or 'u' or 'n' or 'p'))
        {
            return Fail("invalid amount: invalid multiplier", out error);
        }

        if (digits.Length == 0)
        {
            return Fail("invalid amount: missing digits", out error);
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return Fail("invalid amount: not a number", out error);
            }
        }

        if (digits[0] == '0')
        {
            return Fail(digits.Length == 1 ? "invalid amount: zero" : "invalid amount: leading zeros", out error);
        }

        if (digits.Length > 20)
        {
            return Fail("invalid amount: too large", out error);
        }

        var value = UInt128.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        UInt128 msat;
        switch (multiplier)
        {
            case 'm': msat = value * 100_000_000; break;
            case 'u': msat = value * 100_000; break;
            case 'n': msat = value * 100; break;
            case 'p':
                if (value % 10 != 0)
                {
                    return Fail("invalid amount: sub-millisatoshi precision", out error);
                }

                msat = value / 10;
                break;
            default: msat = value * 100_000_000_000; break;
        }

        if (msat > long.MaxValue)
        {
            return Fail("invalid amount: too large", out error);
        }

        amountMsat = (long)msat;
        error = null;
        return true;
    }

    private sealed class Fields
    {
        public string? PaymentHash;
        public string? PaymentSecret;
        public string? Description;
        public string? DescriptionHash;
        public byte[]? Payee;
        public long? ExpirySeconds;
        public long? MinFinalCltv;
        public string? Metadata;
        public IReadOnlyList<Bolt11Feature> Features = [];
        public readonly List<IReadOnlyList<RouteHintHop>> RouteHints = [];
        public readonly List<string> Fallbacks = [];
    }

    private static bool TryReadFields(ReadOnlySpan<byte> words, LightningNetwork network, Fields fields, out string? error)
    {
        var position = 0;
        var descriptions = 0;
        var descriptionHashes = 0;
        while (position < words.Length)
        {
            if (words.Length - position < 3)
            {
                return Fail("truncated tagged field", out error);
            }

            var tag = words[position];
            var length = words[position + 1] * 32 + words[position + 2];
            position += 3;
            if (length > words.Length - position)
            {
                return Fail("tagged field longer than the data", out error);
            }

            var data = words.Slice(position, length);
            position += length;
            switch (tag)
            {
                case TagPaymentHash when length == 52:
                    if (fields.PaymentHash is not null)
                    {
                        return Fail("more than one payment hash (p field)", out error);
                    }

                    fields.PaymentHash = Hex(Bech32.WordsToBytesTruncated(data));
                    break;
                case TagPaymentSecret when length == 52:
                    // The first (most preferred) s wins: BOLT 11's high-S vector carries two.
                    fields.PaymentSecret ??= Hex(Bech32.WordsToBytesTruncated(data));
                    break;
                case TagDescriptionHash when length == 52:
                    if (++descriptionHashes > 1)
                    {
                        return Fail("more than one description hash (h field)", out error);
                    }

                    fields.DescriptionHash = Hex(Bech32.WordsToBytesTruncated(data));
                    break;
                case TagPayee when length == 53:
                    if (fields.Payee is not null)
                    {
                        return Fail("more than one payee (n field)", out error);
                    }

                    fields.Payee = Bech32.WordsToBytesTruncated(data);
                    break;
                case TagDescription:
                    if (++descriptions > 1)
                    {
                        return Fail("more than one description (d field)", out error);
                    }

                    if (!TryDecodeUtf8(Bech32.WordsToBytesTruncated(data), out var description))
                    {
                        return Fail("description (d field) is not valid UTF-8", out error);
                    }

                    fields.Description = description;
                    break;
                case TagExpiry:
                    if (fields.ExpirySeconds is null)
                    {
                        if (length > 12)
                        {
                            return Fail("expiry (x field) too large", out error);
                        }

                        fields.ExpirySeconds = ReadNumber(data);
                    }

                    break;
                case TagMinFinalCltv:
                    if (fields.MinFinalCltv is null)
                    {
                        if (length > 12)
                        {
                            return Fail("min_final_cltv_expiry (c field) too large", out error);
                        }

                        fields.MinFinalCltv = ReadNumber(data);
                    }

                    break;
                case TagMetadata:
                    fields.Metadata ??= Hex(Bech32.WordsToBytesTruncated(data));
                    break;
                case TagFeatures:
                    if (!TryReadFeatures(data, out var features, out error))
                    {
                        return false;
                    }

                    fields.Features = features;
                    break;
                case TagRouteHint:
                    if (!TryReadRoute(data, out var route))
                    {
                        return Fail("invalid route hint (r field)", out error);
                    }

                    fields.RouteHints.Add(route);
                    break;
                case TagFallback:
                    if (TryReadFallback(data, network, out var address))
                    {
                        fields.Fallbacks.Add(address);
                    }

                    break;
                default:
                    // Unknown fields and wrong-length p/h/s/n are skipped.
                    break;
            }
        }

        error = null;
        return true;
    }

    private static bool TryReadFeatures(ReadOnlySpan<byte> data, out IReadOnlyList<Bolt11Feature> features, out string? error)
    {
        var set = new SortedSet<int>();
        for (var bit = 0; bit < data.Length * 5; bit++)
        {
            var word = data[data.Length - 1 - bit / 5];
            if (((word >> (bit % 5)) & 1) != 0)
            {
                set.Add(bit);
            }
        }

        var result = new List<Bolt11Feature>();
        foreach (var bit in set)
        {
            var even = bit & ~1;
            if (bit == even + 1 && set.Contains(even))
            {
                continue; // Both bits set: the pair counts as required (already listed).
            }

            if (bit == even && !Bolt11Features.IsKnown(bit))
            {
                features = [];
                error = $"unknown required feature bit {bit}";
                return false;
            }

            result.Add(new Bolt11Feature(Bolt11Features.NameOf(bit), bit, IsRequired: bit == even));
        }

        var hasMpp = set.Contains(16) || set.Contains(17);
        var hasSecret = set.Contains(14) || set.Contains(15);
        if (hasMpp && !hasSecret)
        {
            features = [];
            error = "feature basic_mpp set without its dependency payment_secret";
            return false;
        }

        features = result.AsReadOnly();
        error = null;
        return true;
    }

    private static bool TryReadRoute(ReadOnlySpan<byte> data, out IReadOnlyList<RouteHintHop> route)
    {
        var bytes = Bech32.WordsToBytesTruncated(data);
        var hops = new List<RouteHintHop>();
        route = hops.AsReadOnly();
        if (bytes.Length == 0 || bytes.Length % RouteHopBytes != 0)
        {
            return false;
        }

        for (var offset = 0; offset < bytes.Length; offset += RouteHopBytes)
        {
            var hop = bytes.AsSpan(offset, RouteHopBytes);
            var block = (hop[33] << 16) | (hop[34] << 8) | hop[35];
            var transaction = (hop[36] << 16) | (hop[37] << 8) | hop[38];
            var output = (hop[39] << 8) | hop[40];
            hops.Add(new RouteHintHop(
                PublicKey: Hex(hop[..33].ToArray()),
                ShortChannelId: string.Create(CultureInfo.InvariantCulture, $"{block}x{transaction}x{output}"),
                FeeBaseMsat: BinaryPrimitives.ReadUInt32BigEndian(hop[41..]),
                FeeProportionalMillionths: BinaryPrimitives.ReadUInt32BigEndian(hop[45..]),
                CltvExpiryDelta: BinaryPrimitives.ReadUInt16BigEndian(hop[49..])));
        }

        return true;
    }

    private static bool TryReadFallback(ReadOnlySpan<byte> data, LightningNetwork network, [NotNullWhen(true)] out string? address)
    {
        address = null;
        if (data.Length < 1 || !Bech32.TryConvertBits(data[1..], 5, 8, pad: false, out var program))
        {
            return false;
        }

        var version = data[0];
        switch (version)
        {
            case 0 when program.Length is 20 or 32:
            case >= 1 and <= 16 when program.Length is >= 2 and <= 40:
                address = Bech32.EncodeSegwitAddress(network.SegwitHrp(), version, program);
                return true;
            case 17 when program.Length == 20:
                address = Base58Check.Encode(network.P2pkhVersion(), program);
                return true;
            case 18 when program.Length == 20:
                address = Base58Check.Encode(network.P2shVersion(), program);
                return true;
            default:
                return false;
        }
    }

    private static bool TryCheckSignature(
        string hrp,
        ReadOnlySpan<byte> dataWords,
        byte[] signature,
        byte[]? payeeFromField,
        [NotNullWhen(true)] out string? payee,
        out bool signatureValid,
        out string? error)
    {
        payee = null;
        signatureValid = false;
        var recoveryId = signature[64];
        if (recoveryId > 3)
        {
            return Fail("invalid signature recovery id", out error);
        }

        var hrpBytes = Encoding.ASCII.GetBytes(hrp);
        var dataBytes = Bech32.WordsToBytesPadded(dataWords);
        var preimage = new byte[hrpBytes.Length + dataBytes.Length];
        hrpBytes.CopyTo(preimage, 0);
        dataBytes.CopyTo(preimage, hrpBytes.Length);
        var hash = SHA256.HashData(preimage);
        var compact = signature.AsSpan(0, 64);

        if (payeeFromField is not null)
        {
            if (!ECPubKey.TryCreate(payeeFromField, Context.Instance, out var compressed, out var key) || !compressed)
            {
                return Fail("invalid payee public key (n field)", out error);
            }

            if (!SecpECDSASignature.TryCreateFromCompact(compact, out var ecdsa))
            {
                return Fail("invalid signature", out error);
            }

            if (IsHighS(compact))
            {
                return Fail("non-canonical signature (high-S)", out error);
            }

            payee = Hex(payeeFromField);
            signatureValid = key.SigVerify(ecdsa, hash);
            error = null;
            return true;
        }

        // Recovery accepts high-S signatures: BOLT 11's vector "public-key recovery with high-S signature"
        // negates s of a low-S signature and keeps its recovery id, so s is normalized back before recovering.
        var normalized = compact.ToArray();
        if (IsHighS(compact))
        {
            var s = new BigInteger(compact[32..], isUnsigned: true, isBigEndian: true);
            var low = GroupOrder - s;
            normalized.AsSpan(32).Clear();
            low.TryWriteBytes(normalized.AsSpan(32 + 32 - low.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        }

        if (!SecpRecoverableECDSASignature.TryCreateFromCompact(normalized, recoveryId, out var recoverable)
            || !ECPubKey.TryRecover(Context.Instance, recoverable, hash, out var recovered))
        {
            return Fail("signature is not recoverable", out error);
        }

        payee = Hex(recovered.ToBytes(compressed: true));
        signatureValid = true;
        error = null;
        return true;
    }

    private static bool IsHighS(ReadOnlySpan<byte> compact) =>
        new BigInteger(compact[32..], isUnsigned: true, isBigEndian: true) > HalfOrder;

    private static long ReadNumber(ReadOnlySpan<byte> words)
    {
        long value = 0;
        foreach (var word in words)
        {
            value = (value << 5) | word;
        }

        return value;
    }

    private static bool TryDecodeUtf8(byte[] bytes, [NotNullWhen(true)] out string? text)
    {
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = null;
            return false;
        }
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}
