using System.Globalization;
using System.Text;
using System.Text.Json;
using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Lnbits;

/// <summary>
/// Maps every LNbits error shape (lnbits-api.md §1.2, §2) to a contract code, keeping LNbits' own
/// message: <c>detail</c> as a string or a validation list, decode's <c>message</c>, the 520
/// payment errors with their <c>status</c>, and bodies that are not JSON at all.
/// </summary>
public static class LnbitsErrorMapper
{
    private const int MaxMessageLength = 500;

    public static LnbitsApiException FromResponse(int status, string body, string? mediaType, Func<string, string> redact)
    {
        var (detail, paymentStatus) = ReadBody(body, mediaType, status);
        var message = redact(Truncate(detail));
        var code = status switch
        {
            401 => ToolErrorCodes.LnbitsUnauthorized,
            404 when message.Contains("Wallet not found", StringComparison.OrdinalIgnoreCase) => ToolErrorCodes.LnbitsUnauthorized,
            403 => ToolErrorCodes.LnbitsForbidden,
            520 or 400 => CodeOfPaymentMessage(message),
            _ => ToolErrorCodes.LnbitsError,
        };
        var text = code == ToolErrorCodes.LnbitsUnauthorized && status == 404
            ? $"LNbits does not know this key ({message}, HTTP 404): check the API key and wallet"
            : string.Create(CultureInfo.InvariantCulture, $"LNbits: {message} (HTTP {status})");
        return new LnbitsApiException(code, text, status, paymentStatus);
    }

    public static LnbitsApiException Unreachable(Uri baseUrl, string reason, bool connectionFailed = false) =>
        new(ToolErrorCodes.LnbitsUnreachable, $"LNbits at {baseUrl.GetLeftPart(UriPartial.Authority)} is unreachable: {reason}", connectionFailed: connectionFailed);

    private static string CodeOfPaymentMessage(string message)
    {
        bool Has(string text) => message.Contains(text, StringComparison.OrdinalIgnoreCase);
        if (Has("insufficient balance") || Has("must reserve at least"))
        {
            return ToolErrorCodes.InsufficientBalance;
        }

        if (Has("already paid") || Has("still pending"))
        {
            return ToolErrorCodes.AlreadyPaid;
        }

        if (Has("amountless"))
        {
            return ToolErrorCodes.AmountlessInvoice;
        }

        if (Has("too high") || Has("withdrawal limit") || Has("time limit"))
        {
            return ToolErrorCodes.LimitExceeded;
        }

        if (Has("decoding failed") || Has("failed to decode"))
        {
            return ToolErrorCodes.InvalidInvoice;
        }

        // A currency LNbits does not convert: the CreateInvoice unit validator ("The provided unit is not supported",
        // lnbits/core/models/payments.py) or btc_rates ("Currency 'X' not allowed.", lnbits/utils/exchange_rates.py).
        if (Has("provided unit is not supported") || (Has("currency '") && Has("not allowed")))
        {
            return ToolErrorCodes.InvalidArgument;
        }

        return ToolErrorCodes.LnbitsError;
    }

    private static (string Detail, string? PaymentStatus) ReadBody(string body, string? mediaType, int status)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return ("empty response", null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (body.Trim(), null);
            }

            var paymentStatus = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (root.TryGetProperty("detail", out var detail))
            {
                return (DetailText(detail), paymentStatus);
            }

            if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return (message.GetString() ?? string.Empty, paymentStatus);
            }

            return (body.Trim(), paymentStatus);
        }
        catch (JsonException)
        {
            var kind = string.IsNullOrEmpty(mediaType) ? "no content type" : mediaType;
            return (string.Create(CultureInfo.InvariantCulture, $"a non-JSON answer ({kind}) to HTTP {status}: {FirstLine(body)}"), null);
        }
    }

    /// <summary><c>detail</c> is a string, or FastAPI's list of <c>{loc, msg, type}</c>.</summary>
    private static string DetailText(JsonElement detail)
    {
        if (detail.ValueKind == JsonValueKind.String)
        {
            return detail.GetString() ?? string.Empty;
        }

        if (detail.ValueKind != JsonValueKind.Array)
        {
            return detail.GetRawText();
        }

        var text = new StringBuilder();
        foreach (var item in detail.EnumerateArray())
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }

            if (item.ValueKind != JsonValueKind.Object)
            {
                text.Append(item.ToString());
                continue;
            }

            if (item.TryGetProperty("loc", out var loc) && loc.ValueKind == JsonValueKind.Array)
            {
                text.AppendJoin('.', loc.EnumerateArray().Select(part => part.ToString())).Append(": ");
            }

            text.Append(item.TryGetProperty("msg", out var msg) ? msg.ToString() : item.GetRawText());
        }

        return text.ToString();
    }

    private static string FirstLine(string body)
    {
        var line = body.Trim().Split('\n', 2)[0].Trim();
        return line.Length > 120 ? line[..120] + "…" : line;
    }

    private static string Truncate(string text) => text.Length <= MaxMessageLength ? text : text[..MaxMessageLength] + "…";
}
