namespace LnbitsMcp.LnbitsSandbox.Payments;

/// <summary>What the funding source did with an external payment.</summary>
internal abstract record FundingOutcome
{
    public sealed record Settled(string Preimage, long FeeMsat) : FundingOutcome;

    public sealed record InFlight(TimeSpan SettleAfter, FundingOutcome Final) : FundingOutcome;

    public sealed record Failed(string Message) : FundingOutcome;
}
