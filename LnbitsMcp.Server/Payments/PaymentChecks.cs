using System.Globalization;
using LnbitsMcp.Server.Lightning;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Sessions;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// The checks every flow runs before any LNbits call: an invoice must be valid, signed by its payee, of this
/// network, carry an amount and not be expired; the session must be able to pay (not read-only) and the
/// amount within the per-payment limit; the invoice's node must pass the payee rules (<see cref="PayeePolicy"/>).
/// Each refusal is audited and says that nothing was paid.
/// </summary>
public sealed class PaymentChecks(PaymentAudit audit, PayeePolicy payees, IOptions<PaymentOptions> options, TimeProvider time)
{
    /// <summary>The network LNbits pays on (<c>Payments:Network</c>).</summary>
    public LightningNetwork Network =>
        LightningNetworks.TryParseName(options.Value.Network, out var network) ? network : LightningNetwork.Bitcoin;

    /// <summary>Decodes an invoice the user asked to pay and refuses it when it must not be paid.</summary>
    public Bolt11Invoice DecodeForPayment(PaymentCall call, string bolt11)
    {
        if (!Bolt11Decoder.TryDecode(bolt11, out var invoice, out var error))
        {
            audit.Refused(call, ToolErrorCodes.InvalidInvoice, 0);
            throw new ToolException(ToolErrorCodes.InvalidInvoice, $"This is not a valid BOLT11 invoice: {error}. Nothing was paid.");
        }

        string? code = null;
        string? message = null;
        if (!invoice.SignatureValid)
        {
            (code, message) = (ToolErrorCodes.InvalidInvoice, "The invoice's signature does not match its payee (n field): it was altered.");
        }
        else if (invoice.Network != Network)
        {
            (code, message) = (ToolErrorCodes.InvalidInvoice, $"The invoice is for {invoice.Network.ToName()}; this wallet pays on {Network.ToName()}.");
        }
        else if (invoice.AmountMsat is null)
        {
            (code, message) = (ToolErrorCodes.AmountlessInvoice, "The invoice has no amount; LNbits cannot pay amountless invoices. Ask the payee for an invoice with an amount.");
        }
        else if (invoice.IsExpired(time.GetUtcNow()))
        {
            (code, message) = (ToolErrorCodes.InvoiceExpired, $"The invoice expired at {invoice.ExpiresAt:u}. Ask the payee for a new one.");
        }

        if (code is not null)
        {
            audit.Refused(call, code, invoice.AmountMsat ?? 0);
            throw new ToolException(code, message + " Nothing was paid.");
        }

        payees.Check(call, PayeeKind.Node, invoice.Payee, invoice.AmountMsat!.Value);
        return invoice;
    }

    /// <summary>Read-only sessions and the per-payment limit, before any LNbits call; the limits that apply to this call.</summary>
    public PaymentLimits CheckPayable(PaymentCall call, long amountMsat)
    {
        if (call.Connection.Settings.KeyType == KeyType.Invoice)
        {
            audit.Refused(call, ToolErrorCodes.ReadOnlySession, amountMsat);
            throw new ToolException(ToolErrorCodes.ReadOnlySession,
                "This session is read-only: it was configured with an invoice key, which cannot pay. Configure an admin key to pay.");
        }

        var limits = PaymentLimits.For(options.Value, call.Connection.Session?.Limits);
        var amountSat = SatAmounts.Ceiling(amountMsat);
        if (amountSat > limits.MaxPaymentSats)
        {
            audit.Refused(call, ToolErrorCodes.LimitExceeded, amountMsat);
            throw new ToolException(ToolErrorCodes.LimitExceeded,
                string.Create(CultureInfo.InvariantCulture, $"{amountSat} sats is over the limit of {limits.MaxPaymentSats} sats per payment. Nothing was paid."),
                new Dictionary<string, object?> { ["limit"] = "max_payment_sats", ["max_payment_sats"] = limits.MaxPaymentSats, ["requested_sats"] = amountSat });
        }

        return limits;
    }
}
