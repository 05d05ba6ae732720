using System.Globalization;
using System.Text;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Payments;

namespace LnbitsMcp.Server.L402;

/// <summary>
/// The result of <c>pay_l402</c>: the resource's answer (HTTP status, content type, body as text up to 64 KB, else
/// cut with its full size given) and what it cost this call: <c>credential</c> <c>paid</c> (an invoice was paid now),
/// <c>cached</c> (the session's credential for this origin was reused; nothing paid) or <c>none</c> (no payment was
/// asked for). A dry run has <c>dry_run</c> and the <c>payment</c> report of what paying would do; nothing was paid.
/// Never carries the token or the preimage.
/// </summary>
public sealed record L402Result : IToolResult
{
    public const int MaxBodyBytes = 64 * 1024;

    public required string Url { get; init; }
    public required string Method { get; init; }

    /// <summary>The resource's HTTP status code.</summary>
    public int Status { get; init; }
    public string? ContentType { get; init; }

    /// <summary>The body as text (at most 64 KB), or null for binary content.</summary>
    public string? Body { get; init; }
    public long BodyBytes { get; init; }
    public bool BodyTruncated { get; init; }

    /// <summary>paid, cached or none.</summary>
    public required string Credential { get; init; }

    /// <summary>Sats paid by this call (0 when a credential was reused, nothing was asked, or a dry run).</summary>
    public long PaidSats { get; init; }
    public long FeeMsat { get; init; }
    public string? PaymentHash { get; init; }

    public bool? DryRun { get; init; }

    /// <summary>The price the resource asks (dry run), in sats.</summary>
    public long? PriceSats { get; init; }

    /// <summary>A dry run's report: limits left, balance, whether a person must approve, what would fail.</summary>
    public PaymentResult? Payment { get; init; }

    public string Summary() => (DryRun, Credential) switch
    {
        (true, "cached") => "Dry run: the session's credential for this origin would be reused; nothing would be paid.",
        (true, _) when PriceSats is { } price => string.Create(CultureInfo.InvariantCulture,
            $"Dry run: the resource asks {price} sats{(Payment?.Problems is { Count: > 0 } problems ? $"; paying would fail: {string.Join("; ", problems)}" : string.Empty)}. Nothing was paid."),
        (true, _) => string.Create(CultureInfo.InvariantCulture, $"Dry run: the resource answered HTTP {Status} without asking for a payment. Nothing was paid."),
        (_, "paid") => string.Create(CultureInfo.InvariantCulture, $"Paid {PaidSats} sats (fee {FeeMsat} msat) for access; the resource answered HTTP {Status}{Truncation}."),
        (_, "cached") => string.Create(CultureInfo.InvariantCulture, $"Reused this session's paid credential (nothing paid); the resource answered HTTP {Status}{Truncation}."),
        _ => string.Create(CultureInfo.InvariantCulture, $"No payment was asked; the resource answered HTTP {Status}{Truncation}."),
    };

    private string Truncation => BodyTruncated ? string.Create(CultureInfo.InvariantCulture, $" (body cut to 64 KB of {BodyBytes} bytes)") : string.Empty;

    /// <summary>The answer's fields: text bodies decoded (cut at 64 KB on a character boundary), binary ones only measured.</summary>
    public static L402Result From(L402Request request, L402Response response, string credential) =>
        new()
        {
            Url = request.Url.AbsoluteUri,
            Method = request.Method.Method,
            Status = response.Status,
            ContentType = response.ContentType,
            Body = IsText(response.ContentType) ? Text(response.Body, response.Charset) : null,
            BodyBytes = response.Body.Length,
            BodyTruncated = IsText(response.ContentType) && response.Body.Length > MaxBodyBytes,
            Credential = credential,
        };

    private static bool IsText(string? mediaType) =>
        mediaType is null
        || mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
        || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
        || mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase)
        || mediaType is "application/json" or "application/xml" or "application/javascript" or "application/x-www-form-urlencoded"
            or "application/yaml" or "application/x-ndjson" or "application/graphql-response+json";

    private static string Text(byte[] body, string? charset)
    {
        Encoding encoding;
        try
        {
            encoding = charset is null ? Encoding.UTF8 : Encoding.GetEncoding(charset.Trim('"'));
        }
        catch (ArgumentException)
        {
            encoding = Encoding.UTF8;
        }

        if (body.Length <= MaxBodyBytes)
        {
            return encoding.GetString(body);
        }

        // Cut on a character boundary: a decoder never emits half a character.
        var decoder = encoding.GetDecoder();
        var chars = new char[encoding.GetMaxCharCount(MaxBodyBytes)];
        var count = decoder.GetChars(body, 0, MaxBodyBytes, chars, 0, flush: false);
        return new string(chars, 0, count);
    }
}
