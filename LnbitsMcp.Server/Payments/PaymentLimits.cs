using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Payments;

/// <summary>The limits that apply to one session: the operator's, tightened by the session's own.</summary>
public sealed record PaymentLimits(long MaxPaymentSats, long DailyBudgetSats, int MaxPaymentsPerHour, long ConfirmAboveSats)
{
    public static PaymentLimits For(PaymentOptions operatorLimits, SessionLimits? session)
    {
        session ??= SessionLimits.None;
        return new PaymentLimits(
            Math.Min(operatorLimits.MaxPaymentSats, session.MaxPaymentSats ?? long.MaxValue),
            Math.Min(operatorLimits.DailyBudgetSats, session.DailyBudgetSats ?? long.MaxValue),
            Math.Min(operatorLimits.MaxPaymentsPerHour, session.MaxPaymentsPerHour ?? int.MaxValue),
            Math.Min(operatorLimits.ConfirmAboveSats, session.ConfirmAboveSats ?? long.MaxValue));
    }
}
