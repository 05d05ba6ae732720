using LnbitsMcp.Server.Lnbits;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// <c>pay_invoice</c>: the invoice passes the checks, then a dry run reports or the payment is confirmed (above
/// the threshold) and sent once through the wallet's ledger.
/// </summary>
public sealed class InvoicePayment(PaymentChecks checks, PaymentDryRun dryRun, PaymentConfirmation confirmation, PaymentSender sender, LnbitsClientFactory clients)
{
    public Task<PaymentResult> PayAsync(PaymentCall call, string bolt11, CancellationToken cancellationToken) =>
        PayAsync(call, bolt11, forWhat: null, cancellationToken);

    /// <summary>
    /// Pays <paramref name="bolt11"/>; <paramref name="forWhat"/> (e.g. the L402 resource the invoice unlocks) is
    /// shown before the payee node wherever a person is asked to confirm.
    /// </summary>
    public async Task<PaymentResult> PayAsync(PaymentCall call, string bolt11, string? forWhat, CancellationToken cancellationToken)
    {
        var invoice = checks.DecodeForPayment(call, bolt11);
        var amountMsat = invoice.AmountMsat!.Value;
        var limits = checks.CheckPayable(call, amountMsat);
        var payee = forWhat is null ? "node " + invoice.Payee : $"{forWhat}, node {invoice.Payee}";
        var intent = new PaymentIntent("invoice:" + invoice.PaymentHash, invoice.PaymentHash, amountMsat, payee, invoice.Description);
        if (call.DryRun)
        {
            return await dryRun.ReportAsync(call, intent with { Payee = invoice.Payee }, limits, cancellationToken);
        }

        await confirmation.ConfirmAsync(call, intent, limits, cancellationToken);
        var client = clients.Create(call.Connection.Settings);
        return await sender.SendAsync(call, invoice.PaymentHash, amountMsat, limits, () => client.PayInvoiceAsync(invoice.Bolt11, cancellationToken), cancellationToken);
    }
}
