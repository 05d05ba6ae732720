using LnbitsMcp.LoadBench;

namespace LnbitsMcp.LoadBench.Tests;

public sealed class LoadRoundsOrderTests
{
    private static readonly string[] s_targets = ["server-balance", "sdk-decode", "server-decode", "sdk", "server-oauth-decode", "edge-decode", "yarp", "edge-balance"];

    [Theory]
    [InlineData("server-decode", "sdk")]
    [InlineData("edge-decode", "yarp")]
    [InlineData("yarp", "edge-balance")]
    public void TwoTargetsListedSideBySideRunBackToBackInEveryRoundEachFirstInEveryOtherRound(string first, string second)
    {
        for (var round = 1; round <= 4; round++)
        {
            var order = LoadRounds.Order(s_targets, round).ToList();
            var (a, b) = (order.IndexOf(first), order.IndexOf(second));

            Assert.Equal(1, Math.Abs(a - b));
            Assert.Equal(round % 2 == 1, a < b);
        }
    }

    [Fact]
    public void EveryRoundRunsEveryTargetOnceAndATargetsPlaceEvensOutOverTwoRounds()
    {
        var odd = LoadRounds.Order(s_targets, 3).ToList();
        var even = LoadRounds.Order(s_targets, 4).ToList();

        Assert.Equal(s_targets, odd);
        Assert.Equal(s_targets.Order(), even.Order());
        Assert.All(s_targets, target => Assert.Equal(s_targets.Length - 1, odd.IndexOf(target) + even.IndexOf(target)));
    }
}
