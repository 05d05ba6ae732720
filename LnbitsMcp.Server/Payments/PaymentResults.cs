using System.Globalization;
using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// The result of <c>pay_invoice</c> and <c>pay_lightning_address</c> (CONTRACT §5). A dry run has
/// status <c>dry_run</c> and the fields that say what would happen; nothing was paid.
/// </summary>
public sealed record PaymentResult : IToolResult
{
    public string? PaymentHash { get; init; }

    /// <summary>success, pending, failed, or dry_run.</summary>
    public required string Status { get; init; }

    public long AmountSat { get; init; }
    public long FeeMsat { get; init; }
    public string? Preimage { get; init; }
    public SuccessActionResult? SuccessAction { get; init; }
    public string? Payee { get; init; }
    public string? Memo { get; init; }

    /// <summary>An amount given in a fiat currency: the msat it was converted to (what limits were checked against), the currency, amount and rate (sats per unit).</summary>
    public long? AmountMsat { get; init; }
    public string? FiatCurrency { get; init; }
    public double? FiatAmount { get; init; }
    public double? FiatRate { get; init; }

    public bool? DryRun { get; init; }
    public long? FeeReserveMsat { get; init; }
    public long? BalanceSat { get; init; }
    public bool? RequiresConfirmation { get; init; }
    public LimitsView? Limits { get; init; }
    public IReadOnlyList<string>? Problems { get; init; }

    public string Summary() => Status switch
    {
        "dry_run" when Problems is { Count: > 0 } => string.Create(CultureInfo.InvariantCulture, $"Dry run: paying {AmountSat} sats would fail: {string.Join("; ", Problems)}. Nothing was paid."),
        "dry_run" => string.Create(CultureInfo.InvariantCulture, $"Dry run: {AmountSat} sats could be paid{(RequiresConfirmation == true ? " after the user confirms" : string.Empty)}. Nothing was paid."),
        "success" => string.Create(CultureInfo.InvariantCulture, $"Paid {AmountSat} sats (fee {FeeMsat} msat)."),
        "pending" => string.Create(CultureInfo.InvariantCulture, $"The payment of {AmountSat} sats is still pending; check get_payment_status later. Do not pay again."),
        _ => string.Create(CultureInfo.InvariantCulture, $"The payment of {AmountSat} sats failed; nothing was spent."),
    };
}

public sealed record SuccessActionResult(string Tag, string? Message, string? Description, string? Url);

public sealed record LimitsView(long MaxPaymentSats, long DailyBudgetSats, long DailyBudgetLeftSats, int PaymentsLeftThisHour, long ConfirmAboveSats);
