using System.Text.Json.Serialization;

namespace LnbitsMcp.Server.Payments;

/// <summary>Where a pending approval stands.</summary>
public enum ApprovalStatus
{
    /// <summary>Waiting for the person (until it expires).</summary>
    Pending,

    /// <summary>The person approved; the payment may be made once.</summary>
    Approved,

    /// <summary>The person declined; nothing will be paid.</summary>
    Declined,

    /// <summary>Nobody decided in time (or the approved payment was not made in time); nothing will be paid.</summary>
    Expired,

    /// <summary>The approved payment was made (or attempted): the approval is spent.</summary>
    Used,
}

/// <summary>
/// One payment above the confirmation threshold that waits for a person (CONTRACT §9): which caller may
/// redeem it (its sub-ledger key and the payment's subject, hashed), whose it is (the owner, for the page's
/// cookie check), what the page shows (amount, payee, memo, limits) and until when. Stored by the hash of
/// its id; the id itself (the page's URL) is known only to the caller and the person.
/// </summary>
public sealed record PaymentApproval
{
    /// <summary>The caller's sub-ledger key (a session key, a header credential's hash, or <c>operator</c>).</summary>
    [JsonPropertyName("ledger")] public required string LedgerKey { get; init; }

    /// <summary>SHA-256 of the payment's subject (<see cref="PaymentIntent.Subject"/>): redeemable for this payment only.</summary>
    [JsonPropertyName("subject")] public required string SubjectHash { get; init; }

    /// <summary>The session's owner (an OAuth connection's or a bearer token's subject, hashed); null for anonymous sessions.</summary>
    [JsonPropertyName("owner")] public string? Owner { get; init; }

    /// <summary>The session, when the call had one (to let the person prove the wallet on the page).</summary>
    [JsonPropertyName("session")] public string? SessionKey { get; init; }

    [JsonPropertyName("wallet")] public required string WalletKey { get; init; }
    [JsonPropertyName("wallet_name")] public string? WalletName { get; init; }
    [JsonPropertyName("hint")] public string? SessionHint { get; init; }
    [JsonPropertyName("tool")] public required string Tool { get; init; }
    [JsonPropertyName("amount_msat")] public required long AmountMsat { get; init; }
    [JsonPropertyName("payee")] public required string Payee { get; init; }
    [JsonPropertyName("memo")] public string? Memo { get; init; }
    [JsonPropertyName("limits")] public required PaymentLimits Limits { get; init; }
    [JsonPropertyName("created_ms")] public long CreatedAtMs { get; init; }
    [JsonPropertyName("expires_ms")] public long ExpiresAtMs { get; init; }

    /// <summary>Kept beside the description (it changes; the rest never does).</summary>
    [JsonIgnore] public ApprovalStatus Status { get; init; } = ApprovalStatus.Pending;

    [JsonIgnore] public DateTimeOffset ExpiresAt => DateTimeOffset.FromUnixTimeMilliseconds(ExpiresAtMs);

    [JsonIgnore] public long AmountSatCeiling => SatAmounts.Ceiling(AmountMsat);

    /// <summary>Still waiting for a decision at <paramref name="now"/>.</summary>
    public bool IsOpenAt(DateTimeOffset now) => Status == ApprovalStatus.Pending && ExpiresAt > now;
}

/// <summary>
/// What an operation on an approval found or did: its status afterwards (null when there is no such
/// approval, or it belongs to another caller or payment), and whether this operation made the change (so
/// each decision, use and expiry is audited exactly once, whichever instance sees it).
/// </summary>
public readonly record struct ApprovalChange(ApprovalStatus? Status, bool Changed);

[JsonSerializable(typeof(PaymentApproval))]
public sealed partial class PaymentApprovalJson : JsonSerializerContext;
