using System.Globalization;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Mcp;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// <c>dry_run</c>: what paying would do (balance and fee reserve, budget and hourly count left, a hash this
/// wallet already paid, whether a person must approve), reported without paying or reserving anything.
/// </summary>
public sealed class PaymentDryRun(
    LnbitsClientFactory clients,
    IPaymentLedger ledger,
    WalletLedgerKeys walletKeys,
    PaymentAudit audit,
    IOptions<PaymentOptions> options,
    TimeProvider time)
{
    public async Task<PaymentResult> ReportAsync(PaymentCall call, PaymentIntent intent, PaymentLimits limits, CancellationToken cancellationToken)
    {
        var walletKey = await walletKeys.ForAsync(call.Connection.Settings, cancellationToken);
        var left = await LimitsLeft.ReadAsync(ledger, walletKey, call.Connection.LedgerKey, limits, options.Value, time.GetUtcNow(), cancellationToken);
        var amountMsat = intent.AmountMsat;
        var feeReserveMsat = Math.Max(2000, amountMsat / 100);
        long? balanceSat = null;
        var problems = new List<string>();
        try
        {
            balanceSat = (await clients.Create(call.Connection.Settings).GetWalletAsync(cancellationToken)).BalanceMsat / 1000;
        }
        catch (ToolException error)
        {
            problems.Add($"the balance could not be read ({error.Code})");
        }

        var amountSat = intent.AmountSatCeiling;
        if (balanceSat is { } balance && balance * 1000 < amountMsat + feeReserveMsat)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"insufficient balance: {balance} sats for {amountSat} sats plus a fee reserve of {feeReserveMsat} msat"));
        }

        if (amountSat > left.BudgetLeftSats)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"only {left.BudgetLeftSats} sats of the 24-hour budget are left"));
        }

        if (left.PaymentsLeft == 0)
        {
            problems.Add("no payments are left this hour");
        }

        if (intent.PaymentHash is { } paymentHash && await ledger.HoldsHashAsync(walletKey, paymentHash, cancellationToken))
        {
            problems.Add("this wallet already paid this invoice");
        }

        audit.Record(call, "dry_run", amountSat);
        return new PaymentResult
        {
            PaymentHash = intent.PaymentHash,
            Status = "dry_run",
            DryRun = true,
            AmountSat = amountMsat / 1000,
            Payee = intent.Payee,
            Memo = intent.Memo,
            FeeReserveMsat = feeReserveMsat,
            BalanceSat = balanceSat,
            RequiresConfirmation = amountSat > limits.ConfirmAboveSats,
            Limits = new LimitsView(limits.MaxPaymentSats, limits.DailyBudgetSats, left.BudgetLeftSats, left.PaymentsLeft, limits.ConfirmAboveSats),
            Problems = problems,
        };
    }
}
