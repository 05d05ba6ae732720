using LnbitsMcp.LnbitsSandbox.Errors;
using LnbitsMcp.LnbitsSandbox.Ledger;

namespace LnbitsMcp.LnbitsSandbox.Payments;

/// <summary>Applies a funding-source result to an outgoing row; the caller holds the ledger gate.</summary>
internal static class ExternalSettlement
{
    public static void Apply(PaymentRecord payment, FundingOutcome outcome, DateTimeOffset now)
    {
        switch (outcome)
        {
            case FundingOutcome.Settled settled:
                payment.Status = PaymentStatusText.Success;
                payment.Fee = -Math.Abs(settled.FeeMsat);
                payment.Preimage = settled.Preimage;
                break;
            case FundingOutcome.Failed:
                payment.Status = PaymentStatusText.Failed;
                break;
            default:
                return;
        }

        payment.UpdatedAt = now;
    }
}
