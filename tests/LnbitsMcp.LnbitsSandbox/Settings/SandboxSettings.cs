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
