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

        var row = GoalRow(Report(samples), "edge → servers + Redis, decode_invoice, c=16");

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

        var row = GoalRow(Report(samples), "c=1 p50 through the edge, get_wallet_balance");

        Assert.Contains("| 0.90× the bound, 1.10× the bound (1 of 2) |", row);
    }

    /// <summary>
    /// The rounds run ours and its reference back to back, so a goal is judged by the median of the rounds' ratios; the ratio of
    /// the two targets' own medians can take them from different rounds (here 800 from the first, 1 500 from the third: 0.53×).
    /// </summary>
    [Fact]
    public void AGoalIsJudgedByTheMedianOfTheRoundsRatiosNotByTheRatioOfTheTargetsMedians()
    {
        var samples = new[]
        {
            Samples.Of("sdk", 16, round: 1, rps: 1000), Samples.Of("server-decode", 16, round: 1, rps: 800),
            Samples.Of("sdk", 16, round: 2, rps: 2000), Samples.Of("server-decode", 16, round: 2, rps: 900),
            Samples.Of("sdk", 16, round: 3, rps: 1500), Samples.Of("server-decode", 16, round: 3, rps: 700),
        };

        var row = GoalRow(Report(samples), "server + Redis, decode_invoice, c=16");

        Assert.Equal("| server + Redis, decode_invoice, c=16: ≥ 0.5× the bare SDK's rps | 0.47× | 0.80×, 0.45×, 0.47× (1 of 3) | **no** |", row);
    }

    [Fact]
    public void TheC1P50GoalShowsTheTargetsOwnMediansBesideTheMedianOfTheRounds()
    {
        // By round: 0.50 ÷ 0.20 = 2.50×, 0.45 ÷ 0.30 = 1.50×, 0.60 ÷ 0.25 = 2.40×; the medians 0.50 and 0.25 ms.
        var samples = new[]
        {
            Samples.Of("yarp", 1, round: 1, p50: 0.20), Samples.Of("edge-decode", 1, round: 1, p50: 0.50),
            Samples.Of("yarp", 1, round: 2, p50: 0.30), Samples.Of("edge-decode", 1, round: 2, p50: 0.45),
            Samples.Of("yarp", 1, round: 3, p50: 0.25), Samples.Of("edge-decode", 1, round: 3, p50: 0.60),
        };

        var row = GoalRow(Report(samples), "c=1 p50 through the edge, decode_invoice");

        Assert.Equal("| c=1 p50 through the edge, decode_invoice: ≤ 2× YARP's p50 | 2.40× (each target's median: 0.50 vs 0.25 ms) | 2.50×, 1.50×, 2.40× (1 of 3) | **no** |", row);
    }

    private static string Report(Sample[] samples) => new MarkdownReport(s_options, "0 0 0", "0 0 0", "abc1234").Write(samples, null);

    private static string GoalRow(string report, string goal) =>
        Assert.Single(report.Split('\n'), line => line.StartsWith("| " + goal, StringComparison.Ordinal)).TrimEnd('\r');
}
