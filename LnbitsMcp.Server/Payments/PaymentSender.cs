using System.Globalization;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Mcp;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// The send-with-ledger step every flow ends in: the hash and the amount are reserved in the wallet's ledger
/// (and the caller's sub-ledger) atomically before the single payment POST, released when nothing was paid,
/// and kept when the outcome is unknown; a pending payment is polled briefly before answering.
/// </summary>
public sealed class PaymentSender(
    LnbitsClientFactory clients,
    IPaymentLedger ledger,
    WalletLedgerKeys walletKeys,
    PaymentAudit audit,
    IOptions<PaymentOptions> options,
    TimeProvider time)
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Pays once with <paramref name="pay"/> (the one POST), between the reservation and its release or keeping.</summary>
    public async Task<PaymentResult> SendAsync(PaymentCall call, string paymentHash, long amountMsat, PaymentLimits limits, Func<Task<LnbitsPayment>> pay, CancellationToken cancellationToken)
    {
        var reservation = await ReserveAsync(call, paymentHash, amountMsat, limits, cancellationToken);
        var amountSat = amountMsat / 1000;
        LnbitsPayment payment;
        try
        {
            payment = await pay();
        }
        catch (LnbitsApiException error) when (error.OutcomeUnknown)
        {
            audit.Record(call, "unknown", amountSat, error.Code);
            throw new ToolException(ToolErrorCodes.LnbitsUnreachable,
                $"{error.Message}. The payment may or may not have been made: check get_payment_status with payment_hash {paymentHash} before doing anything else. It will not be sent again from this wallet.");
        }
        catch (LnbitsApiException error) when (error.PaymentStatus is PaymentStatuses.Pending or PaymentStatuses.Success || error.Code == ToolErrorCodes.AlreadyPaid)
        {
            audit.Record(call, "refused:" + error.Code, amountSat);
            throw;
        }
        catch (ToolException error)
        {
            // Nothing was paid (LNbits refused, or the request never left): hash and budget are free again.
            await ledger.ReleaseAsync(reservation, CancellationToken.None);
            audit.Record(call, "failed:" + error.Code, amountSat);
            throw;
        }

        var (status, fee, preimage) = await SettleAsync(call, reservation, payment, cancellationToken);
        audit.Record(call, status, amountSat);
        return new PaymentResult
        {
            PaymentHash = paymentHash,
            Status = status,
            AmountSat = amountSat,
            FeeMsat = status == PaymentStatuses.Failed ? 0 : fee,
            Preimage = status == PaymentStatuses.Success ? preimage : null,
        };
    }

    /// <summary>
    /// Polls a pending payment until it settles or <c>Payments:PendingPollTime</c> passes, and releases the
    /// reservation of a payment that failed. Returns the final status, fee and preimage.
    /// </summary>
    public async Task<(string Status, long FeeMsat, string? Preimage)> SettleAsync(PaymentCall call, PaymentReservation reservation, LnbitsPayment payment, CancellationToken cancellationToken)
    {
        var (status, fee, preimage) = payment.Status == PaymentStatuses.Pending
            ? await PollAsync(call, payment.PaymentHash, payment.FeeMsat, cancellationToken)
            : (payment.Status, payment.FeeMsat, payment.Preimage);
        if (status == PaymentStatuses.Failed)
        {
            await ledger.ReleaseAsync(reservation, CancellationToken.None);
        }

        return (status, fee, preimage);
    }

    /// <summary>Nothing was paid: the reservation's hash and amount are free again.</summary>
    public Task ReleaseAsync(PaymentReservation reservation) => ledger.ReleaseAsync(reservation, CancellationToken.None);

    /// <summary>Reserves the hash (when known), the budget and the hourly count, or refuses with what is left.</summary>
    public async Task<PaymentReservation> ReserveAsync(PaymentCall call, string? paymentHash, long amountMsat, PaymentLimits limits, CancellationToken cancellationToken)
    {
        var decision = await ledger.ReserveAsync(new ReservationRequest(
            call.Connection.LedgerKey, paymentHash, amountMsat, checked(limits.DailyBudgetSats * 1000), limits.MaxPaymentsPerHour, time.GetUtcNow())
        {
            WalletKey = await walletKeys.ForAsync(call.Connection.Settings, cancellationToken),
            WalletDailyBudgetMsat = checked(options.Value.DailyBudgetSats * 1000),
            WalletMaxPaymentsPerHour = options.Value.MaxPaymentsPerHour,
        }, cancellationToken);
        switch (decision)
        {
            case LedgerDecision.Reserved reserved:
                return reserved.Reservation;
            case LedgerDecision.AlreadyPaid:
                audit.Refused(call, ToolErrorCodes.AlreadyPaid, amountMsat);
                throw new ToolException(ToolErrorCodes.AlreadyPaid,
                    $"This wallet already paid (or is paying) the invoice with payment_hash {paymentHash}. It is never paid twice; check get_payment_status.");
            case LedgerDecision.BudgetExceeded budget:
                audit.Refused(call, ToolErrorCodes.LimitExceeded, amountMsat);
                throw new ToolException(ToolErrorCodes.LimitExceeded,
                    string.Create(CultureInfo.InvariantCulture, $"This payment would pass the budget of {limits.DailyBudgetSats} sats per 24 hours (kept per wallet, over every session): {budget.LeftMsat / 1000} sats are left. Nothing was paid."),
                    new Dictionary<string, object?>
                    {
                        ["limit"] = "daily_budget_sats",
                        ["daily_budget_sats"] = limits.DailyBudgetSats,
                        ["spent_sats"] = budget.SpentMsat / 1000,
                        ["left_sats"] = budget.LeftMsat / 1000,
                    });
            default:
                audit.Refused(call, ToolErrorCodes.LimitExceeded, amountMsat);
                throw new ToolException(ToolErrorCodes.LimitExceeded,
                    string.Create(CultureInfo.InvariantCulture, $"This wallet (or this session, under its own limit) already made the most payments allowed in the last hour ({limits.MaxPaymentsPerHour}). Nothing was paid."),
                    new Dictionary<string, object?> { ["limit"] = "max_payments_per_hour", ["max_payments_per_hour"] = limits.MaxPaymentsPerHour, ["left"] = 0 });
        }
    }

    private async Task<(string Status, long FeeMsat, string? Preimage)> PollAsync(PaymentCall call, string paymentHash, long feeMsat, CancellationToken cancellationToken)
    {
        var client = clients.Create(call.Connection.Settings);
        var deadline = time.GetUtcNow() + options.Value.PendingPollTime;
        while (time.GetUtcNow() < deadline)
        {
            await Task.Delay(s_pollInterval, time, cancellationToken);
            try
            {
                var status = await client.GetPaymentStatusAsync(paymentHash, cancellationToken);
                if (status.Status != PaymentStatuses.Pending)
                {
                    return (status.Status, status.Details?.FeeMsat ?? feeMsat, status.Preimage);
                }
            }
            catch (ToolException)
            {
                // Keep polling until the deadline; the answer then says pending.
            }
        }

        return (PaymentStatuses.Pending, feeMsat, null);
    }
}
