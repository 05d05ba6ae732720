using LnbitsMcp.LnbitsSandbox.Json;
using LnbitsMcp.LnbitsSandbox.Ledger;

namespace LnbitsMcp.LnbitsSandbox.Payments;

/// <summary>A payment the funding source is still working on, and how it ends.</summary>
internal sealed record PendingSettlement(PaymentRecord Payment, TimeSpan SettleAfter, FundingOutcome Final);

/// <summary>Finishes in-flight external payments (pay_mode <c>pending</c>) after their delay.</summary>
internal sealed class PendingSettler(SandboxLedger ledger, IHostApplicationLifetime lifetime, TimeProvider clock)
{
    public void Schedule(PendingSettlement settlement) => _ = SettleLaterAsync(settlement);

    private async Task SettleLaterAsync(PendingSettlement settlement)
    {
        try
        {
            await Task.Delay(settlement.SettleAfter, clock, lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (ledger.Gate)
        {
            if (settlement.Payment.IsPending)
            {
                ExternalSettlement.Apply(settlement.Payment, settlement.Final, LnbitsTime.Now(clock));
            }
        }
    }
}
