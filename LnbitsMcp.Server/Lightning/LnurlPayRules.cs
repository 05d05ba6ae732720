using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LnbitsMcp.Server.Lightning;

/// <summary>What is wrong with an invoice a LNURL-pay service returned.</summary>
public enum LnurlInvoiceProblem
{
    None,
    WrongNetwork,
    Amountless,
    AmountMismatch,
    Expired,
    InvalidSignature,
    DescriptionHashMismatch,
    MissingDescriptionHash,
}

/// <summary>The outcome of <see cref="LnurlPayRules.ValidateInvoice"/>.</summary>
public sealed record LnurlInvoiceCheck(LnurlInvoiceProblem Problem, string? Error)
{
    public static readonly LnurlInvoiceCheck Valid = new(LnurlInvoiceProblem.None, null);

    public bool IsValid => Problem == LnurlInvoiceProblem.None;
}

/// <summary>The payer's checks of LUD-06/12/16 (lnurl.md §3–§4). Pure; errors are short messages, null when fine.</summary>
public static class LnurlPayRules
{
    /// <summary>Error when <paramref name="amountMsat"/> is outside <c>minSendable..maxSendable</c>.</summary>
    public static string? CheckAmount(LnurlPayRequest request, long amountMsat)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (amountMsat < request.MinSendableMsat)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"amount {amountMsat} msat is below the minimum of {request.MinSendableMsat} msat");
        }

        if (amountMsat > request.MaxSendableMsat)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"amount {amountMsat} msat is above the maximum of {request.MaxSendableMsat} msat");
        }

        return null;
    }

    /// <summary>Error when a non-empty comment is not accepted or is longer than <c>commentAllowed</c> characters.</summary>
    public static string? CheckComment(LnurlPayRequest request, string? comment)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(comment))
        {
            return null;
        }

        if (request.CommentAllowed <= 0)
        {
            return "this recipient does not accept comments";
        }

        var length = comment.EnumerateRunes().Count();
        return length > request.CommentAllowed
            ? string.Create(CultureInfo.InvariantCulture,
                $"comment is {length} characters; this recipient accepts at most {request.CommentAllowed}")
            : null;
    }

    /// <summary>Error when the service requires LUD-18 payer data (which we never send).</summary>
    public static string? CheckPayerData(LnurlPayRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.MandatoryPayerData.Count == 0
            ? null
            : $"the recipient requires payer data ({string.Join(", ", request.MandatoryPayerData.Select(k => LnurlJson.Clean(k)))})";
    }

    /// <summary>
    /// <c>callback?amount=&lt;msat&gt;[&amp;comment=…]</c>: keeps the callback's query and appends with <c>&amp;</c>;
    /// the comment is URL-encoded and left out when empty.
    /// </summary>
    public static Uri BuildCallbackUri(Uri callback, long amountMsat, string? comment)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var query = new StringBuilder(callback.Query.TrimStart('?'));
        if (query.Length > 0 && query[^1] != '&')
        {
            query.Append('&');
        }

        query.Append("amount=").Append(amountMsat.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(comment))
        {
            query.Append("&comment=").Append(Uri.EscapeDataString(comment));
        }

        return new UriBuilder(callback) { Query = query.ToString() }.Uri;
    }

    /// <summary>
    /// LUD-06's checks on the returned invoice: right network, has an amount, amount equals
    /// <paramref name="requestedMsat"/>, not expired at <paramref name="now"/>, a valid signature, and — when the
    /// invoice has an <c>h</c> field — <c>h == sha256(utf8(rawMetadata))</c>. Invoices with only <c>d</c> are
    /// accepted unless <paramref name="requireDescriptionHash"/>. With LUD-18 payer data, pass
    /// <c>metadata + payerData</c> as <paramref name="rawMetadata"/>.
    /// </summary>
    public static LnurlInvoiceCheck ValidateInvoice(
        Bolt11Invoice invoice,
        long requestedMsat,
        string rawMetadata,
        LightningNetwork expected,
        DateTimeOffset now,
        bool requireDescriptionHash = false)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(rawMetadata);
        if (invoice.Network != expected)
        {
            return new(LnurlInvoiceProblem.WrongNetwork,
                $"invoice is for {invoice.Network.ToName()}, expected {expected.ToName()}");
        }

        if (invoice.AmountMsat is not { } amount)
        {
            return new(LnurlInvoiceProblem.Amountless, "invoice has no amount");
        }

        if (amount != requestedMsat)
        {
            return new(LnurlInvoiceProblem.AmountMismatch, string.Create(CultureInfo.InvariantCulture,
                $"invoice amount {amount} msat differs from the requested {requestedMsat} msat"));
        }

        if (invoice.IsExpired(now))
        {
            return new(LnurlInvoiceProblem.Expired, "invoice has expired");
        }

        if (!invoice.SignatureValid)
        {
            return new(LnurlInvoiceProblem.InvalidSignature, "invoice signature does not match its payee");
        }

        if (invoice.DescriptionHash is { } descriptionHash)
        {
            var expectedHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rawMetadata)));
            if (!string.Equals(descriptionHash, expectedHash, StringComparison.OrdinalIgnoreCase))
            {
                return new(LnurlInvoiceProblem.DescriptionHashMismatch,
                    "invoice description hash does not match the payRequest metadata");
            }
        }
        else if (requireDescriptionHash)
        {
            return new(LnurlInvoiceProblem.MissingDescriptionHash, "invoice has no description hash");
        }

        return LnurlInvoiceCheck.Valid;
    }
}
