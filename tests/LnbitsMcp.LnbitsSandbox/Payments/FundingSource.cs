using LnbitsMcp.LnbitsSandbox.Invoices;
using LnbitsMcp.LnbitsSandbox.Settings;

namespace LnbitsMcp.LnbitsSandbox.Payments;

/// <summary>The sandbox's "Lightning backend" for external payments: it can reach only the outside node,
/// refuses other networks and expired invoices, and follows <c>pay_mode</c>.</summary>
internal sealed class FundingSource(OutsideNode outside, SettingsStore settings, TimeProvider clock)
{
    public FundingOutcome Pay(Bolt11Invoice invoice, long feeLimitMsat)
    {
        var current = settings.Current;
        if (invoice.Currency != "bcrt")
        {
            return new FundingOutcome.Failed("invoice is not for regtest (the sandbox's network).");
        }

        if (invoice.IsExpired(clock.GetUtcNow()))
        {
            return new FundingOutcome.Failed("invoice expired.");
        }

        var preimage = invoice.Payee == outside.NodeId ? outside.PreimageFor(invoice.PaymentHash) : null;
        if (preimage is null)
        {
            return new FundingOutcome.Failed("no route found to the destination.");
        }

        if (current.PayMode == PayModes.Fail)
        {
            return new FundingOutcome.Failed(current.FailReason);
        }

        var amountMsat = invoice.AmountMsat ?? 0;
        var fee = Math.Min(feeLimitMsat, current.RoutingFeeMsat ?? 1000 + amountMsat / 1000);
        FundingOutcome settled = new FundingOutcome.Settled(preimage, Math.Max(0, fee));
        if (current.PayMode == PayModes.Pending)
        {
            var final = current.PendingOutcome == "failed"
                ? new FundingOutcome.Failed(current.FailReason)
                : settled;
            return new FundingOutcome.InFlight(TimeSpan.FromMilliseconds(Math.Max(0, current.SettleAfterMs)), final);
        }

        return settled;
    }
}
