namespace LnbitsMcp.Server.Payments;

/// <summary>
/// Payment bookkeeping per wallet (LNbits URL + wallet), atomic across every server instance: a payment
/// hash is paid at most once from a wallet, and the wallet's rolling 24-hour budget and hourly count (the
/// operator's limits, shared by every session, header call and connection of that wallet) are reserved
/// before paying and released when the payment fails. Each caller (a session, a header credential) also
/// has a sub-ledger in the wallet's, for the tighter limits it set itself.
/// </summary>
public interface IPaymentLedger
{
    Task<LedgerDecision> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken);

    /// <summary>The payment did not happen: its hash may be paid again and its amount no longer counts.</summary>
    Task ReleaseAsync(PaymentReservation reservation, CancellationToken cancellationToken);

    /// <summary>What the wallet and, within it, the caller spent in the last 24 hours and paid in the last hour.</summary>
    Task<LedgerUsage> GetUsageAsync(string walletKey, string ledgerKey, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>True when this hash is paid or being paid from this wallet.</summary>
    Task<bool> HoldsHashAsync(string walletKey, string paymentHash, CancellationToken cancellationToken);
}

/// <param name="LedgerKey">The caller's sub-ledger (session key or header credential hash).</param>
/// <param name="PaymentHash">Null when not known before paying (LNbits' own LNURL flow).</param>
/// <param name="DailyBudgetMsat">The caller's own 24-hour budget (the operator's, or tighter).</param>
/// <param name="MaxPaymentsPerHour">The caller's own hourly count (the operator's, or tighter).</param>
public sealed record ReservationRequest(string LedgerKey, string? PaymentHash, long AmountMsat, long DailyBudgetMsat, int MaxPaymentsPerHour, DateTimeOffset Now)
{
    /// <summary>The wallet (LNbits URL + wallet) whose paid hashes and operator limits apply; by default the caller's own key.</summary>
    public string WalletKey { get; init; } = LedgerKey;

    /// <summary>The operator's 24-hour budget for the wallet, over every caller.</summary>
    public long WalletDailyBudgetMsat { get; init; } = DailyBudgetMsat;

    /// <summary>The operator's hourly count for the wallet, over every caller.</summary>
    public int WalletMaxPaymentsPerHour { get; init; } = MaxPaymentsPerHour;
}

public sealed record PaymentReservation(string LedgerKey, string? PaymentHash, string ReservationId, long AmountMsat)
{
    public string WalletKey { get; init; } = LedgerKey;
}

public sealed record BudgetUsage(long SpentLast24HoursMsat, int PaymentsLastHour);

/// <param name="Wallet">Every caller of the wallet together.</param>
/// <param name="Caller">This caller within it.</param>
public sealed record LedgerUsage(BudgetUsage Wallet, BudgetUsage Caller);

public abstract record LedgerDecision
{
    private LedgerDecision()
    {
    }

    public sealed record Reserved(PaymentReservation Reservation) : LedgerDecision;

    public sealed record AlreadyPaid : LedgerDecision;

    /// <param name="LeftMsat">What is left of the tighter of the wallet's and the caller's budgets.</param>
    public sealed record BudgetExceeded(long SpentMsat, long LeftMsat) : LedgerDecision;

    public sealed record RateExceeded(int PaymentsLastHour) : LedgerDecision;
}
