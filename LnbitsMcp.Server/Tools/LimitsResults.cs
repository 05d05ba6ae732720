using System.Globalization;
using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Tools;

public sealed record PaymentLimitsResult(long MaxPaymentSats, long DailyBudgetSats, int MaxPaymentsPerHour, long ConfirmAboveSats) : IToolResult
{
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"Limits: at most {MaxPaymentSats} sats a payment, {DailyBudgetSats} sats per 24 h, {MaxPaymentsPerHour} payments an hour; confirmation above {ConfirmAboveSats} sats.");
}
