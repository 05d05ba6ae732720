using LnbitsMcp.LoadBench;

namespace LnbitsMcp.LoadBench.Tests;

public sealed class BuildComparisonTests
{
    [Fact]
    public void EachRoundWithBothBuildsGivesItsOwnRatioAndTheReportShowsTheirMedianAndRange()
    {
        // This build ÷ the other by rps: round 1 1100 ÷ 1000, round 2 900 ÷ 1000, round 3 1050 ÷ 1000; round 4 lacks
        // the other build, and c=1 is another connection count.
        var samples = new[]
        {
            Samples.Of("server-decode", 16, round: 1, rps: 1100), Samples.Of("server-decode-b", 16, round: 1, rps: 1000),
            Samples.Of("server-decode-b", 16, round: 2, rps: 1000), Samples.Of("server-decode", 16, round: 2, rps: 900),
            Samples.Of("server-decode", 16, round: 3, rps: 1050), Samples.Of("server-decode-b", 16, round: 3, rps: 1000),
            Samples.Of("server-decode", 16, round: 4, rps: 2000), Samples.Of("sdk", 16, round: 4, rps: 1000),
            Samples.Of("server-decode", 1, round: 1, rps: 10), Samples.Of("server-decode-b", 1, round: 1, rps: 1000),
        };

        var ratios = BuildComparison.RoundRatios(samples, 16, sample => sample.Result.RequestsPerSecond);

        Assert.Equal([1.10, 0.90, 1.05], ratios.Select(r => Math.Round(r, 2)));
        Assert.Equal("1.05× (0.90–1.10×): 1.10×, 0.90×, 1.05×", BuildComparison.Describe(ratios));
        var report = new MarkdownReport(new BenchOptions { Rounds = 4, Connections = [16] }, "0 0 0", "0 0 0", "abc1234").Write(samples, null);
        var comparison = report[report.IndexOf("## Two builds compared", StringComparison.Ordinal)..];
        // These made-up samples have no processes, so no CPU to compare: only rps.
        Assert.Contains("| 16 |  | 1.05× (0.90–1.10×): 1.10×, 0.90×, 1.05× |", comparison);
    }

    [Fact]
    public void WithoutTheOtherBuildTheReportHasNoComparison()
    {
        var samples = new[] { Samples.Of("server-decode", 16, round: 1), Samples.Of("sdk", 16, round: 1) };

        var report = new MarkdownReport(new BenchOptions { Rounds = 1, Connections = [16] }, "0 0 0", "0 0 0", "abc1234").Write(samples, null);

        Assert.Empty(BuildComparison.RoundRatios(samples, 16, sample => sample.Result.RequestsPerSecond));
        Assert.DoesNotContain("Two builds compared", report);
    }

    [Fact]
    public void CompareNeedsACheckout()
    {
        var checkout = Directory.CreateTempSubdirectory();
        try
        {
            Assert.Throws<BenchException>(() => BenchOptions.Parse(["--compare", checkout.FullName]));
            File.WriteAllText(Path.Combine(checkout.FullName, "LnbitsMcp.sln"), string.Empty);
            Assert.Equal(checkout.FullName, BenchOptions.Parse(["--compare", checkout.FullName]).CompareRoot);
        }
        finally
        {
            checkout.Delete(recursive: true);
        }
    }
}
