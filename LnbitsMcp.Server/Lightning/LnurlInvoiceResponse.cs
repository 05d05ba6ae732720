using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace LnbitsMcp.Server.Lightning;

/// <summary>
/// The callback's answer (LUD-06 step 5): <c>{"pr": "lnbc…", "routes": [], "successAction": …}</c>.
/// Only the shape is checked here; check the invoice itself with <see cref="LnurlPayRules.ValidateInvoice"/>.
/// </summary>
public sealed record LnurlInvoiceResponse(string PaymentRequest, SuccessAction? SuccessAction)
{
    /// <summary>Parses the callback response; <paramref name="callback"/> is the URL that was called. Never throws.</summary>
    public static bool TryParse(
        string? json,
        Uri callback,
        [NotNullWhen(true)] out LnurlInvoiceResponse? response,
        [NotNullWhen(false)] out string? error) =>
        LnurlJson.TryWithRoot(
            json,
            (JsonElement element, [NotNullWhen(true)] out LnurlInvoiceResponse? result, [NotNullWhen(false)] out string? parseError) =>
                TryParse(element, callback, out result, out parseError),
            out response,
            out error);

    /// <summary>Parses the callback response element (detects <c>{"status":"ERROR"}</c>). Never throws.</summary>
    public static bool TryParse(
        JsonElement element,
        Uri callback,
        [NotNullWhen(true)] out LnurlInvoiceResponse? response,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(callback);
        response = null;
        if (LnurlJson.IsErrorStatus(element, out error))
        {
            return false;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "callback response is not a JSON object";
            return false;
        }

        var pr = LnurlJson.GetString(element, "pr");
        if (string.IsNullOrWhiteSpace(pr))
        {
            error = "callback response has no invoice (pr)";
            return false;
        }

        SuccessAction? successAction = null;
        if (element.TryGetProperty("successAction", out var action)
            && !SuccessAction.TryParse(action, callback, out successAction, out error))
        {
            return false;
        }

        response = new LnurlInvoiceResponse(pr.Trim(), successAction);
        error = null;
        return true;
    }
}
