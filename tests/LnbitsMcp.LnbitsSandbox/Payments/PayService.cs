using System.Text.Json.Nodes;
using LnbitsMcp.LnbitsSandbox.Api.Models;
using LnbitsMcp.LnbitsSandbox.Errors;
using LnbitsMcp.LnbitsSandbox.Invoices;
using LnbitsMcp.LnbitsSandbox.Json;
using LnbitsMcp.LnbitsSandbox.Ledger;
using LnbitsMcp.LnbitsSandbox.Settings;

namespace LnbitsMcp.LnbitsSandbox.Payments;

/// <summary>Pays BOLT11 invoices from a wallet (LNbits' <c>pay_invoice</c>): validation, then — atomically under
/// the ledger gate — internal settlement between sandbox wallets, or an external payment via the funding source.</summary>
internal sealed class PayService(
    SandboxLedger ledger,
    FundingSource fundingSource,
    PendingSettler settler,
    SettingsStore settings,
    ExchangeRates rates,
    TimeProvider clock)
{
    public PaymentView Pay(
        SandboxWallet wallet,
        string bolt11,
        JsonObject? extra = null,
        List<string>? labels = null,
        string? description = null)
    {
        var invoice = Validate(bolt11);
        (_, extra) = FiatAmounts.Calculate(rates, invoice.AmountMsat!.Value / 1000.0, settings.Current.AccountingCurrency, null, extra);
        var outgoing = new OutgoingDraft(wallet, invoice, extra, labels, description);
        PendingSettlement? pending = null;
        PaymentView result;
        lock (ledger.Gate)
        {
            if (ledger.IsInternalSuccess(invoice.PaymentHash))
            {
                throw new PaymentException("Internal invoice already paid.");
            }

            PaymentRecord payment;
            if (ledger.FindInternalPending(invoice.PaymentHash) is { } internalInvoice)
            {
                payment = PayInternal(outgoing, internalInvoice);
            }
            else
            {
                (payment, pending) = PayExternal(outgoing);
            }

            result = PaymentView.From(payment);
        }

        if (pending is not null)
        {
            settler.Schedule(pending);
        }

        return result;
    }

    private Bolt11Invoice Validate(string bolt11)
    {
        if (!Bolt11Decoder.TryDecode(bolt11, out var invoice, out _) || invoice is null)
        {
            throw new PaymentException("Bolt11 decoding failed.");
        }

        if (invoice.AmountMsat is not > 0)
        {
            throw new PaymentException("Amountless invoices not supported.");
        }

        var maxSats = settings.Current.MaxOutgoingSats;
        if (invoice.AmountMsat > maxSats * 1000)
        {
            throw new PaymentException(
                $"Invoice amount {invoice.AmountMsat / 1000} sats is too high. Max allowed: {maxSats} sats.");
        }

        return invoice;
    }

    private PaymentRecord PayInternal(OutgoingDraft draft, PaymentRecord incoming)
    {
        var amountMsat = draft.AmountMsat;
        if (incoming.Amount != amountMsat || !string.Equals(incoming.Bolt11, draft.Invoice.Bolt11, StringComparison.Ordinal))
        {
            throw new PaymentException("Invalid invoice. Bolt11 changed.");
        }

        if (ledger.BalanceMsat(draft.Wallet.Id) < amountMsat)
        {
            throw new PaymentException("Insufficient balance.");
        }

        // LNbits would pay an expired internal invoice until its cleanup task deletes it; the sandbox behaves as
        // after that cleanup: the backend refuses it.
        if (incoming.Expiry is { } expiry && clock.GetUtcNow() > expiry)
        {
            throw new PaymentException("Payment failed: invoice expired.");
        }

        var payment = draft.ToRecord("internal_" + draft.Invoice.PaymentHash, LnbitsTime.Now(clock));
        payment.Status = PaymentStatusText.Success;
        payment.Preimage = incoming.Preimage;
        ledger.AddPayment(payment);
        incoming.Status = PaymentStatusText.Success;
        incoming.UpdatedAt = payment.Time;
        return payment;
    }

    private (PaymentRecord Payment, PendingSettlement? Pending) PayExternal(OutgoingDraft draft)
    {
        var amountMsat = draft.AmountMsat;
        var reserve = FeeReserve.ForAmount(amountMsat);
        var balance = ledger.BalanceMsat(draft.Wallet.Id);
        if (balance < amountMsat)
        {
            throw new PaymentException("Insufficient balance.");
        }

        if (balance < amountMsat + reserve)
        {
            throw new PaymentException(
                $"You must reserve at least ({FeeReserve.RoundedSats(reserve)}  sat) to cover potential routing fees.");
        }

        if (ledger.FindStandalone(draft.Invoice.PaymentHash) is { } existing)
        {
            throw existing.Status switch
            {
                PaymentStatusText.Pending => new PaymentException("Payment is still pending.", PaymentStatusText.Pending),
                PaymentStatusText.Success => new PaymentException("Payment already paid.", PaymentStatusText.Success),
                _ => new PaymentException("Payment is failed node, retrying is not possible."),
            };
        }

        var payment = draft.ToRecord(draft.Invoice.PaymentHash, LnbitsTime.Now(clock));
        payment.Fee = -reserve;
        ledger.AddPayment(payment);
        switch (fundingSource.Pay(draft.Invoice, reserve))
        {
            case FundingOutcome.Settled settled:
                ExternalSettlement.Apply(payment, settled, LnbitsTime.Now(clock));
                return (payment, null);
            case FundingOutcome.InFlight inFlight:
                return (payment, new PendingSettlement(payment, inFlight.SettleAfter, inFlight.Final));
            case FundingOutcome.Failed failed:
                ExternalSettlement.Apply(payment, failed, LnbitsTime.Now(clock));
                throw new PaymentException($"Payment failed: {failed.Message}");
            default:
                throw new InvalidOperationException("Unknown funding outcome.");
        }
    }

    private sealed record OutgoingDraft(
        SandboxWallet Wallet,
        Bolt11Invoice Invoice,
        JsonObject? Extra,
        List<string>? Labels,
        string? Description)
    {
        public long AmountMsat => Invoice.AmountMsat!.Value;

        public PaymentRecord ToRecord(string checkingId, DateTimeOffset now) => new()
        {
            CheckingId = checkingId,
            PaymentHash = Invoice.PaymentHash,
            WalletId = Wallet.Id,
            Amount = -AmountMsat,
            Bolt11 = Invoice.Bolt11,
            Memo = !string.IsNullOrEmpty(Description) ? Description : Invoice.Description ?? string.Empty,
            Expiry = Invoice.ExpiresAt,
            Time = now,
            UpdatedAt = now,
            Labels = Labels ?? [],
            Extra = Extra ?? [],
        };
    }
}
