using System.Text.Json.Serialization;

namespace LnbitsMcp.LnbitsSandbox.Settings;

/// <summary>Runtime behaviour of the sandbox, changed with <c>POST /sandbox/settings</c>.
/// Immutable: an update swaps in a new instance.</summary>
public sealed record SandboxSettings
{
    /// <summary>How the "funding source" pays external invoices: <c>instant</c>, <c>pending</c> or <c>fail</c>.
    /// Internal payments (between sandbox wallets) always settle at once, as in LNbits.</summary>
    [JsonPropertyName("pay_mode")]
    public string PayMode { get; init; } = PayModes.Instant;

    /// <summary>In <c>pending</c> mode: how long after the pay request the payment settles.</summary>
    [JsonPropertyName("settle_after_ms")]
    public int SettleAfterMs { get; init; } = 2000;

    /// <summary>In <c>pending</c> mode: what a pending payment becomes, <c>success</c> or <c>failed</c>.</summary>
    [JsonPropertyName("pending_outcome")]
    public string PendingOutcome { get; init; } = "success";

    /// <summary>Reason used by <c>fail</c> mode: 520 "Payment failed: &lt;reason&gt;".</summary>
    [JsonPropertyName("fail_reason")]
    public string FailReason { get; init; } = "no route found (sandbox pay_mode=fail)";

    /// <summary>The next N LNbits API requests (<c>/api/…</c>) answer 500 "Unexpected error! ID: …".</summary>
    [JsonPropertyName("fail_next")]
    public int FailNext { get; init; }

    /// <summary><c>current</c> (v1.3+ POST /api/v1/payments/lnurl), <c>absent</c> (404) or <c>legacy</c> (pre-1.3 body).</summary>
    [JsonPropertyName("lnurl_api")]
    public string LnurlApi { get; init; } = LnurlApiModes.Current;

    /// <summary>How the sandbox's LNURL-pay callback answers: <c>ok</c>, <c>wrong_amount</c>, <c>wrong_hash</c>, <c>no_hash</c>, <c>error</c>, <c>expired</c>.</summary>
    [JsonPropertyName("lnurl_mode")]
    public string LnurlMode { get; init; } = LnurlModes.Ok;

    [JsonPropertyName("lnurl_min_sendable")]
    public long LnurlMinSendable { get; init; } = 1_000;

    [JsonPropertyName("lnurl_max_sendable")]
    public long LnurlMaxSendable { get; init; } = 1_000_000_000;

    [JsonPropertyName("lnurl_comment_allowed")]
    public int LnurlCommentAllowed { get; init; } = 255;

    /// <summary>LNbits' <c>lnbits_max_outgoing_payment_amount_sats</c>.</summary>
    [JsonPropertyName("max_outgoing_sats")]
    public long MaxOutgoingSats { get; init; } = 10_000_000;

    /// <summary>LNbits' <c>lnbits_max_incoming_payment_amount_sats</c>.</summary>
    [JsonPropertyName("max_incoming_sats")]
    public long MaxIncomingSats { get; init; } = 10_000_000;

    /// <summary>Lifetime of access tokens from <c>POST /api/v1/auth</c> (LNbits default: 525600 minutes).</summary>
    [JsonPropertyName("token_lifetime_seconds")]
    public long TokenLifetimeSeconds { get; init; } = 525_600L * 60;

    /// <summary>Delay added to every LNbits API answer (<c>/api/…</c>).</summary>
    [JsonPropertyName("latency_ms")]
    public int LatencyMs { get; init; }

    /// <summary>Routing fee of successful external payments in msat; null = 1 sat + 0.1 %. Capped at the fee reserve.</summary>
    [JsonPropertyName("routing_fee_msat")]
    public long? RoutingFeeMsat { get; init; }

    /// <summary>What the sandbox's "exchange rate providers" answer: the price of one BTC in each currency
    /// (LNbits derives <c>rate = 100 000 000 / price</c> sats per unit). A currency without a price, or with 0,
    /// has no rate: LNbits then answers "Could not get exchange rate for X.".</summary>
    [JsonPropertyName("btc_prices")]
    public IReadOnlyDictionary<string, double> BtcPrices { get; init; } = ExchangeRateDefaults.BtcPrices;

    /// <summary>LNbits' <c>lnbits_allowed_currencies</c>: empty = every currency LNbits knows.</summary>
    [JsonPropertyName("allowed_currencies")]
    public IReadOnlyList<string> AllowedCurrencies { get; init; } = [];

    /// <summary>LNbits' <c>lnbits_default_accounting_currency</c> (every sandbox wallet's currency): when set, invoices
    /// and payments carry <c>extra.wallet_fiat_*</c>.</summary>
    [JsonPropertyName("accounting_currency")]
    public string? AccountingCurrency { get; init; }

    /// <summary>Price of the L402-protected sandbox resource (<c>/sandbox/l402/{name}</c>), in sats.</summary>
    [JsonPropertyName("l402_price_sats")]
    public long L402PriceSats { get; init; } = 10;

    /// <summary>The form of the 402 challenge: <c>macaroon</c>, <c>token</c>, <c>lsat</c> or <c>aperture</c> (see <see cref="L402Challenges"/>).</summary>
    [JsonPropertyName("l402_challenge")]
    public string L402Challenge { get; init; } = L402Challenges.Macaroon;

    /// <summary>The invoice in the 402 challenge: <c>ok</c>, <c>wrong_network</c>, <c>amountless</c> or <c>expired</c>.</summary>
    [JsonPropertyName("l402_invoice")]
    public string L402Invoice { get; init; } = L402InvoiceModes.Ok;

    /// <summary>A lying L402 server: <c>none</c>, <c>preimage</c> (every preimage check fails) or <c>other_invoice</c>
    /// (the token commits to another invoice than the one in the challenge).</summary>
    [JsonPropertyName("l402_liar")]
    public string L402Liar { get; init; } = L402LiarModes.None;

    /// <summary>When set, <c>/sandbox/l402/{name}</c> answers 302 to this URL instead.</summary>
    [JsonPropertyName("l402_redirect_url")]
    public string? L402RedirectUrl { get; init; }
}

public static class PayModes
{
    public const string Instant = "instant";
    public const string Pending = "pending";
    public const string Fail = "fail";
}

public static class LnurlApiModes
{
    public const string Current = "current";
    public const string Absent = "absent";
    public const string Legacy = "legacy";
}

public static class LnurlModes
{
    public const string Ok = "ok";
    public const string WrongAmount = "wrong_amount";
    public const string WrongHash = "wrong_hash";

    /// <summary>An invoice with only a description (<c>d</c>), no description hash — which LUD-06 forbids.</summary>
    public const string NoHash = "no_hash";
    public const string Error = "error";
    public const string Expired = "expired";
}

/// <summary>Forms of the <c>WWW-Authenticate</c> challenge of the sandbox's L402 resource.</summary>
public static class L402Challenges
{
    /// <summary><c>L402 macaroon="…", invoice="…"</c> (the form most servers send).</summary>
    public const string Macaroon = "macaroon";

    /// <summary><c>L402 version="0", token="…", invoice="…"</c> (the current L402 specification).</summary>
    public const string Token = "token";

    /// <summary><c>LSAT macaroon="…", invoice="…"</c> (the protocol's former name).</summary>
    public const string Lsat = "lsat";

    /// <summary>Two headers, <c>LSAT macaroon=…</c> and <c>L402 macaroon=…</c>, as Lightning Labs' aperture sends.</summary>
    public const string Aperture = "aperture";

    public static readonly string[] All = [Macaroon, Token, Lsat, Aperture];
}

public static class L402InvoiceModes
{
    public const string Ok = "ok";
    public const string WrongNetwork = "wrong_network";
    public const string Amountless = "amountless";
    public const string Expired = "expired";

    public static readonly string[] All = [Ok, WrongNetwork, Amountless, Expired];
}

public static class L402LiarModes
{
    public const string None = "none";
    public const string Preimage = "preimage";
    public const string OtherInvoice = "other_invoice";

    public static readonly string[] All = [None, Preimage, OtherInvoice];
}

/// <summary>The sandbox's default BTC prices: round numbers, so that rates are easy to check by hand.</summary>
public static class ExchangeRateDefaults
{
    public static readonly IReadOnlyDictionary<string, double> BtcPrices = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["USD"] = 100_000,
        ["EUR"] = 80_000,
        ["GBP"] = 62_500,
        ["CHF"] = 90_000,
        ["JPY"] = 15_000_000,
    };
}
