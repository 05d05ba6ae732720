namespace LnbitsMcp.Server.Payments;

/// <summary>The 24-hour budget and the hourly count left now: the tighter of the wallet's (operator's) and the caller's own.</summary>
public sealed record LimitsLeft(long BudgetLeftSats, int PaymentsLeft)
{
    public static async Task<LimitsLeft> ReadAsync(IPaymentLedger ledger, string walletKey, string ledgerKey, PaymentLimits limits, PaymentOptions operatorLimits, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var usage = await ledger.GetUsageAsync(walletKey, ledgerKey, now, cancellationToken);
        var budgetLeftSats = Math.Max(0, Math.Min(
            operatorLimits.DailyBudgetSats - (usage.Wallet.SpentLast24HoursMsat / 1000),
            limits.DailyBudgetSats - (usage.Caller.SpentLast24HoursMsat / 1000)));
        var paymentsLeft = Math.Max(0, Math.Min(
            operatorLimits.MaxPaymentsPerHour - usage.Wallet.PaymentsLastHour,
            limits.MaxPaymentsPerHour - usage.Caller.PaymentsLastHour));
        return new LimitsLeft(budgetLeftSats, paymentsLeft);
    }
}
