using System.Text.Json.Nodes;

namespace LnbitsMcp.LnbitsSandbox.Ledger;

/// <summary>A row of LNbits' <c>apipayments</c> table. Mutable only while holding the ledger's gate.</summary>
internal sealed class PaymentRecord
{
    public required string CheckingId { get; init; }

    public required string PaymentHash { get; init; }

    public required string WalletId { get; init; }

    /// <summary>msat; positive incoming, negative outgoing.</summary>
    public required long Amount { get; init; }

    /// <summary>msat; zero or negative.</summary>
    public long Fee { get; set; }

    public required string Bolt11 { get; init; }

    public string Status { get; set; } = Errors.PaymentStatusText.Pending;

    public string? Memo { get; init; }

    public DateTimeOffset? Expiry { get; init; }

    public string? Webhook { get; init; }

    public string? Preimage { get; set; }

    public string? Tag { get; init; }

    public string? Extension { get; init; }

    public required DateTimeOffset Time { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<string> Labels { get; init; } = [];

    public JsonObject Extra { get; init; } = [];

    /// <summary>Insertion order (SQLite rowid).</summary>
    public long Sequence { get; set; }

    public bool IsIncoming => Amount > 0;

    public bool IsOutgoing => Amount < 0;

    public bool IsPending => Status == Errors.PaymentStatusText.Pending;

    public bool IsSuccess => Status == Errors.PaymentStatusText.Success;

    /// <summary>Counts towards the balance view of LNbits: settled incoming, and outgoing that is pending or settled.</summary>
    public bool CountsToBalance => (IsSuccess && IsIncoming) || (IsOutgoing && (IsSuccess || IsPending));
}
