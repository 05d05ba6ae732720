using System.Globalization;

namespace LnbitsMcp.LoadBench;

/// <summary>
/// A goal measured round by round. Every round runs ours and its reference back to back (<see cref="LoadRounds.Order"/>),
/// so each round gives a ratio of its own; the goal is judged by their median, and each is shown beside it, so that a
/// reader sees how near its line a goal sits and whether the rounds agree on it.
/// </summary>
public static class GoalRounds
{
    /// <summary>
    /// A goal's measures over the rounds (<see cref="Values"/>) and in how many of them the goal was reached, e.g.
    /// <c>0.83×, 0.66×, 0.65× (1 of 3)</c>; empty when no round ran its targets. <paramref name="reaches"/> says whether a
    /// measure reaches the goal.
    /// </summary>
    public static string Describe(IReadOnlyList<double> values, Func<double, bool> reaches, string unit = "×") =>
        values.Count == 0
            ? string.Empty
            : $"{string.Join(", ", values.Select(v => v.ToString("F2", CultureInfo.InvariantCulture) + unit))} ({values.Count(reaches)} of {values.Count})";

    /// <summary>
    /// The measure in every round (in round order) in which the targets it needs ran at <paramref name="connections"/>.
    /// <paramref name="measure"/> is given a round's sample of a target by name and returns the measure, or null when a
    /// target it needs is missing.
    /// </summary>
    public static List<double> Values(IReadOnlyList<Sample> samples, int connections, Func<Func<string, Sample?>, double?> measure)
    {
        var values = new List<double>();
        foreach (var round in samples.Select(s => s.Round).Distinct().Order())
        {
            Sample? Of(string name) => samples.FirstOrDefault(s => s.Round == round && s.Connections == connections && s.Target.Name == name);
            if (measure(Of) is { } value)
            {
                values.Add(value);
            }
        }

        return values;
    }

    /// <summary>Ours ÷ the reference by <paramref name="metric"/>.</summary>
    public static Func<Func<string, Sample?>, double?> Ratio(string ours, string reference, Func<Sample, double> metric) =>
        of => of(ours) is { } a && of(reference) is { } b && metric(b) > 0 ? metric(a) / metric(b) : null;
}
