namespace LnbitsMcp.Server.Payments;

/// <summary>
/// Payment bookkeeping per session (or header credential), atomic across every server instance:
/// a payment hash is paid at most once, and the rolling 24-hour budget and hourly count are
/// reserved before paying and released when the payment fails.
/// </summary>
public interface IPaymentLedger
{
    Task<LedgerDecision> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken);

    /// <summary>The payment did not happen: its hash may be paid again and its amount no longer counts.</summary>
    Task ReleaseAsync(PaymentReservation reservation, CancellationToken cancellationToken);

    Task<BudgetUsage> GetUsageAsync(string ledgerKey, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>True when this hash is paid or being paid from this ledger.</summary>
    Task<bool> HoldsHashAsync(string ledgerKey, string paymentHash, CancellationToken cancellationToken);
}

/// <param name="PaymentHash">Null when not known before paying (LNbits' own LNURL flow).</param>
public sealed record ReservationRequest(string LedgerKey, string? PaymentHash, long AmountMsat, long DailyBudgetMsat, int MaxPaymentsPerHour, DateTimeOffset Now);

public sealed record PaymentReservation(string LedgerKey, string? PaymentHash, string ReservationId, long AmountMsat);

public sealed record BudgetUsage(long SpentLast24HoursMsat, int PaymentsLastHour);

public abstract record LedgerDecision
{
    private LedgerDecision()
    {
    }

    public sealed record Reserved(PaymentReservation Reservation) : LedgerDecision;

    public sealed record AlreadyPaid : LedgerDecision;

    public sealed record BudgetExceeded(long SpentMsat, long LeftMsat) : LedgerDecision;

    public sealed record RateExceeded(int PaymentsLastHour) : LedgerDecision;
}
