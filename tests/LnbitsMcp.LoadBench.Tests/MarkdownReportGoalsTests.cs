using LnbitsMcp.LoadBench;

namespace LnbitsMcp.LoadBench.Tests;

public sealed class MarkdownReportGoalsTests
{
    private static readonly BenchOptions s_options = new() { Rounds = 3, Connections = [1, 16] };

    [Fact]
    public void AGoalMissedByTheMediansShowsTheRoundsThatReachedIt()
    {
        // edge ÷ YARP by round: 0.90, 0.70, 0.75; the medians: 750 ÷ 1000 = 0.75, below 0.8.
        var samples = new[]
        {
            Samples.Of("yarp", 16, round: 1, rps: 1000), Samples.Of("edge-decode", 16, round: 1, rps: 900),
            Samples.Of("yarp", 16, round: 2, rps: 1000), Samples.Of("edge-decode", 16, round: 2, rps: 700),
            Samples.Of("yarp", 16, round: 3, rps: 1000), Samples.Of("edge-decode", 16, round: 3, rps: 750),
        };

        var row = GoalRow(new MarkdownReport(s_options, "0 0 0", "0 0 0", "abc1234").Write(samples, null), "edge → servers + Redis, decode_invoice, c=16");

        Assert.Equal("| edge → servers + Redis, decode_invoice, c=16: ≥ 0.8× YARP → bare SDK | 0.75× | 0.90×, 0.70×, 0.75× (1 of 3) | **no** |", row);
    }

    [Fact]
    public void TheBalanceP50GoalShowsEachRoundsP50AgainstThatRoundsBound()
    {
        // Bounds: 2 × 0.30 + 0.10 = 0.70 ms and 2 × 0.40 + 0.10 = 0.90 ms; balance p50 0.63 and 0.99 ms.
        var samples = new[]
        {
            Samples.Of("yarp", 1, round: 1, p50: 0.30), Samples.Of("sandbox", 1, round: 1, p50: 0.10), Samples.Of("edge-balance", 1, round: 1, p50: 0.63),
            Samples.Of("yarp", 1, round: 2, p50: 0.40), Samples.Of("sandbox", 1, round: 2, p50: 0.10), Samples.Of("edge-balance", 1, round: 2, p50: 0.99),
        };

        var row = GoalRow(new MarkdownReport(s_options, "0 0 0", "0 0 0", "abc1234").Write(samples, null), "c=1 p50 through the edge, get_wallet_balance");

        Assert.Contains("| 0.90× the bound, 1.10× the bound (1 of 2) |", row);
    }

    private static string GoalRow(string report, string goal) =>
        Assert.Single(report.Split('\n'), line => line.StartsWith("| " + goal, StringComparison.Ordinal)).TrimEnd('\r');
}
