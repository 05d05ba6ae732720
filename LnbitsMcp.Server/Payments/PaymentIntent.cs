namespace LnbitsMcp.Server.Payments;

/// <summary>
/// What a flow is about to pay, once its checks passed: the amount, who gets it (shown to the person) and
/// the subject that binds a confirmation to exactly this payment.
/// </summary>
/// <param name="Subject">Names this payment for confirmations, e.g. <c>invoice:&lt;hash&gt;</c>.</param>
/// <param name="PaymentHash">Known before paying for invoices; null when only LNbits learns it.</param>
/// <param name="Payee">A node (<c>node 02ab…</c>) or a Lightning Address, for people.</param>
public sealed record PaymentIntent(string Subject, string? PaymentHash, long AmountMsat, string Payee, string? Memo)
{
    /// <summary>The amount in whole sats, rounded up (limits never round in the payer's favour).</summary>
    public long AmountSatCeiling => SatAmounts.Ceiling(AmountMsat);
}
