using System.Globalization;

namespace LnbitsMcp.LoadBench;

/// <summary>
/// Two builds of the server side by side (<c>--compare</c>): this checkout's <c>server-decode</c> and the other's
/// <c>server-decode-b</c> run in every round one after the other, so each round gives a ratio of its own, and machine
/// noise that drifts over minutes (the bare SDK's CPU per call moved 62–94 µs between runs of one afternoon) cancels
/// out of it. Many short rounds make the median of those ratios decide a change of a few percent.
/// </summary>
public static class BuildComparison
{
    public const string OwnTarget = "server-decode";
    public const string OtherTarget = "server-decode-b";

    /// <summary>This build ÷ the other by <paramref name="metric"/>, round by round (rounds in which both ran at <paramref name="connections"/>).</summary>
    public static IReadOnlyList<double> RoundRatios(IReadOnlyList<Sample> samples, int connections, Func<Sample, double> metric) =>
        GoalRounds.Values(samples, connections, GoalRounds.Ratio(OwnTarget, OtherTarget, metric));

    /// <summary>The ratios' median and range, then each, e.g. <c>0.95× (0.90–1.02×): 0.90×, 0.95×, 1.02×</c>; empty without any.</summary>
    public static string Describe(IReadOnlyList<double> ratios)
    {
        if (ratios.Count == 0)
        {
            return string.Empty;
        }

        static string Format(double ratio) => ratio.ToString("F2", CultureInfo.InvariantCulture);
        return $"{Format(Summary.Median(ratios))}× ({Format(ratios.Min())}–{Format(ratios.Max())}×): {string.Join(", ", ratios.Select(r => Format(r) + "×"))}";
    }
}
