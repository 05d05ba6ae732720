using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Errors;
using LnbitsMcp.LnbitsSandbox.Validation;

namespace LnbitsMcp.LnbitsSandbox.Settings;

/// <summary>Validates a <c>POST /sandbox/settings</c> body (every field optional, unknown fields refused)
/// into a change of <see cref="SandboxSettings"/>.</summary>
internal static class SettingsUpdate
{
    private static readonly string[] Known =
    [
        "pay_mode", "settle_after_ms", "pending_outcome", "fail_reason", "fail_next", "lnurl_api", "lnurl_mode",
        "lnurl_min_sendable", "lnurl_max_sendable", "lnurl_comment_allowed", "max_outgoing_sats", "max_incoming_sats",
        "token_lifetime_seconds", "latency_ms", "routing_fee_msat", "btc_prices", "allowed_currencies", "accounting_currency",
        "l402_price_sats", "l402_challenge", "l402_invoice", "l402_liar", "l402_redirect_url",
    ];

    public static Func<SandboxSettings, SandboxSettings> Parse(BodyValue body)
    {
        var model = new BodyModel(body);
        if (body.Node is JsonObject json)
        {
            foreach (var key in json.Select(p => p.Key).Where(k => !Known.Contains(k, StringComparer.Ordinal)))
            {
                model.AddIssue(key, "extra fields not permitted", "value_error.extra");
            }
        }

        var payMode = OneOf(model, "pay_mode", PayModes.Instant, PayModes.Pending, PayModes.Fail);
        var settleAfter = NonNegative(model, "settle_after_ms");
        var pendingOutcome = OneOf(model, "pending_outcome", "success", "failed");
        var failReason = model.Str("fail_reason", minLength: 1);
        var failNext = NonNegative(model, "fail_next");
        var lnurlApi = OneOf(model, "lnurl_api", LnurlApiModes.Current, LnurlApiModes.Absent, LnurlApiModes.Legacy);
        var lnurlMode = OneOf(model, "lnurl_mode",
            LnurlModes.Ok, LnurlModes.WrongAmount, LnurlModes.WrongHash, LnurlModes.NoHash, LnurlModes.Error, LnurlModes.Expired);
        var minSendable = NonNegative(model, "lnurl_min_sendable");
        var maxSendable = NonNegative(model, "lnurl_max_sendable");
        var commentAllowed = NonNegative(model, "lnurl_comment_allowed");
        var maxOutgoing = NonNegative(model, "max_outgoing_sats");
        var maxIncoming = NonNegative(model, "max_incoming_sats");
        var tokenLifetime = NonNegative(model, "token_lifetime_seconds");
        var latency = NonNegative(model, "latency_ms");
        var routingFee = NonNegative(model, "routing_fee_msat");
        var clearRoutingFee = IsExplicitNull(body, "routing_fee_msat");
        var btcPrices = Prices(model);
        var allowedCurrencies = model.StrList("allowed_currencies");
        var accountingCurrency = model.Str("accounting_currency", minLength: 1);
        var l402Price = NonNegative(model, "l402_price_sats");
        var l402Challenge = OneOf(model, "l402_challenge", L402Challenges.All);
        var l402Invoice = OneOf(model, "l402_invoice", L402InvoiceModes.All);
        var l402Liar = OneOf(model, "l402_liar", L402LiarModes.All);
        var l402Redirect = model.Str("l402_redirect_url", minLength: 1);
        model.ThrowIfInvalid();

        return current => current with
        {
            PayMode = payMode ?? current.PayMode,
            SettleAfterMs = (int?)settleAfter ?? current.SettleAfterMs,
            PendingOutcome = pendingOutcome ?? current.PendingOutcome,
            FailReason = failReason ?? current.FailReason,
            FailNext = (int?)failNext ?? current.FailNext,
            LnurlApi = lnurlApi ?? current.LnurlApi,
            LnurlMode = lnurlMode ?? current.LnurlMode,
            LnurlMinSendable = minSendable ?? current.LnurlMinSendable,
            LnurlMaxSendable = maxSendable ?? current.LnurlMaxSendable,
            LnurlCommentAllowed = (int?)commentAllowed ?? current.LnurlCommentAllowed,
            MaxOutgoingSats = maxOutgoing ?? current.MaxOutgoingSats,
            MaxIncomingSats = maxIncoming ?? current.MaxIncomingSats,
            TokenLifetimeSeconds = tokenLifetime ?? current.TokenLifetimeSeconds,
            LatencyMs = (int?)latency ?? current.LatencyMs,
            RoutingFeeMsat = clearRoutingFee ? null : routingFee ?? current.RoutingFeeMsat,
            BtcPrices = btcPrices ?? current.BtcPrices,
            AllowedCurrencies = allowedCurrencies ?? current.AllowedCurrencies,
            AccountingCurrency = IsExplicitNull(body, "accounting_currency") ? null : accountingCurrency ?? current.AccountingCurrency,
            L402PriceSats = l402Price ?? current.L402PriceSats,
            L402Challenge = l402Challenge ?? current.L402Challenge,
            L402Invoice = l402Invoice ?? current.L402Invoice,
            L402Liar = l402Liar ?? current.L402Liar,
            L402RedirectUrl = IsExplicitNull(body, "l402_redirect_url") ? null : l402Redirect ?? current.L402RedirectUrl,
        };
    }

    private static bool IsExplicitNull(BodyValue body, string name) =>
        body.Node is JsonObject json && json.ContainsKey(name) && json[name] is null;

    /// <summary><c>btc_prices</c>: an object of currency code → price of one BTC (a number ≥ 0; 0 = no price).</summary>
    private static Dictionary<string, double>? Prices(BodyModel model)
    {
        var prices = model.Dict("btc_prices");
        if (prices is null)
        {
            return null;
        }

        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (currency, value) in prices)
        {
            if (value is JsonValue number && number.TryGetValue<double>(out var price) && double.IsFinite(price) && price >= 0)
            {
                result[currency.ToUpperInvariant()] = price;
            }
            else
            {
                model.AddIssue("btc_prices", $"price of '{currency}' must be a number >= 0", "value_error.number.not_ge");
            }
        }

        return result;
    }

    private static string? OneOf(BodyModel model, string name, params string[] permitted)
    {
        var value = model.Str(name);
        if (value is null || permitted.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        model.AddIssue(name, $"unexpected value; permitted: {string.Join(", ", permitted.Select(p => $"'{p}'"))}",
            "value_error.const",
            new JsonObject { ["given"] = value, ["permitted"] = new JsonArray([.. permitted.Select(p => (JsonNode)p)]) });
        return null;
    }

    private static long? NonNegative(BodyModel model, string name)
    {
        var value = model.Int(name);
        if (value is < 0 or > int.MaxValue && name is not ("lnurl_min_sendable" or "lnurl_max_sendable"
            or "max_outgoing_sats" or "max_incoming_sats" or "token_lifetime_seconds" or "routing_fee_msat"))
        {
            model.AddIssue(name, "ensure this value is between 0 and 2147483647", "value_error.number");
            return null;
        }

        if (value < 0)
        {
            model.AddIssue(name, "ensure this value is greater than or equal to 0", "value_error.number.not_ge",
                new JsonObject { ["limit_value"] = 0 });
            return null;
        }

        return value;
    }
}
