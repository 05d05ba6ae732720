using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Ledger;

namespace LnbitsMcp.LnbitsSandbox.Api.Models;

/// <summary>LNbits' <c>Payment</c> model as JSON (lnbits-api.md §5).</summary>
internal sealed record PaymentView(
    string CheckingId,
    string PaymentHash,
    string WalletId,
    long Amount,
    long Fee,
    string Bolt11,
    string? PaymentRequest,
    string? FiatProvider,
    string Status,
    string? Memo,
    DateTimeOffset? Expiry,
    string? Webhook,
    string? WebhookStatus,
    string? Preimage,
    string? Tag,
    string? Extension,
    DateTimeOffset Time,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string> Labels,
    JsonObject Extra)
{
    /// <summary>A snapshot; call while holding the ledger gate.</summary>
    public static PaymentView From(PaymentRecord payment) => new(
        payment.CheckingId,
        payment.PaymentHash,
        payment.WalletId,
        payment.Amount,
        payment.Fee,
        payment.Bolt11,
        payment.Bolt11,
        null,
        payment.Status,
        payment.Memo,
        payment.Expiry,
        payment.Webhook,
        null,
        payment.Preimage,
        payment.Tag,
        payment.Extension,
        payment.Time,
        payment.Time,
        payment.UpdatedAt,
        [.. payment.Labels],
        (JsonObject)payment.Extra.DeepClone());
}

/// <summary><c>{"data": [...], "total": n}</c> of the paginated list.</summary>
internal sealed record PaymentPage(IReadOnlyList<PaymentView> Data, int Total);
