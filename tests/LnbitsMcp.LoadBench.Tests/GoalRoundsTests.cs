using LnbitsMcp.LoadBench;

namespace LnbitsMcp.LoadBench.Tests;

public sealed class GoalRoundsTests
{
    [Fact]
    public void EachRoundGivesItsOwnRatioInRoundOrderAndTheRoundsThatReachedTheGoalAreCounted()
    {
        var samples = new[]
        {
            Samples.Of("sdk", 16, round: 2, rps: 1000), Samples.Of("server-decode", 16, round: 2, rps: 400),
            Samples.Of("sdk", 16, round: 1, rps: 1000), Samples.Of("server-decode", 16, round: 1, rps: 600),
            Samples.Of("sdk", 16, round: 3, rps: 2000), Samples.Of("server-decode", 16, round: 3, rps: 1100),
        };

        var text = GoalRounds.Describe(GoalRounds.Values(samples, 16, GoalRounds.Ratio("server-decode", "sdk", s => s.Result.RequestsPerSecond)), r => r >= 0.5);

        Assert.Equal("0.60×, 0.40×, 0.55× (2 of 3)", text);
    }

    [Fact]
    public void ARoundWithoutTheReferenceAndSamplesAtOtherConnectionCountsAreLeftOut()
    {
        var samples = new[]
        {
            Samples.Of("yarp", 16, round: 1, rps: 1000), Samples.Of("edge-decode", 16, round: 1, rps: 900),
            Samples.Of("edge-decode", 16, round: 2, rps: 100),
            Samples.Of("yarp", 1, round: 2, rps: 1000), Samples.Of("edge-decode", 1, round: 2, rps: 10),
        };

        var text = GoalRounds.Describe(GoalRounds.Values(samples, 16, GoalRounds.Ratio("edge-decode", "yarp", s => s.Result.RequestsPerSecond)), r => r >= 0.8);

        Assert.Equal("0.90× (1 of 1)", text);
    }

    [Fact]
    public void NoRoundWithBothTargetsGivesNothingToShow()
    {
        var samples = new[] { Samples.Of("sdk", 16, round: 1, rps: 1000) };

        Assert.Equal(string.Empty, GoalRounds.Describe(GoalRounds.Values(samples, 16, GoalRounds.Ratio("server-decode", "sdk", s => s.Result.RequestsPerSecond)), r => r >= 0.5));
    }
}
