using System.Globalization;
using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Tools;

public sealed record PaymentLimitsResult(long MaxPaymentSats, long DailyBudgetSats, int MaxPaymentsPerHour, long ConfirmAboveSats) : IToolResult
{
    /// <summary>The session's own payee rules (the operator's apply as well).</summary>
    public IReadOnlyList<string>? AllowPayees { get; init; }

    public IReadOnlyList<string>? DenyPayees { get; init; }

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"Limits: at most {MaxPaymentSats} sats a payment, {DailyBudgetSats} sats per 24 h, {MaxPaymentsPerHour} payments an hour; confirmation above {ConfirmAboveSats} sats.");
}
