namespace LnbitsMcp.LoadBench;

/// <summary>One measured run: a target at a connection count in a round, with every process's CPU per request.</summary>
public sealed record Sample(string Phase, LoadTarget Target, int Connections, int Round, WrkResult Result, IReadOnlyDictionary<string, double> CpuPerRequest)
{
    /// <summary>CPU per request of the processes the target involves (µs).</summary>
    public double TotalCpu => Target.Processes.Sum(p => CpuPerRequest[p.Name]);
}

/// <summary>The medians over the rounds of one target at one connection count.</summary>
public sealed record Summary(LoadTarget Target, int Connections, int Rounds, double Rps, double P50Ms, double P99Ms, double TotalCpu, IReadOnlyDictionary<string, double> CpuByProcess, long Errors)
{
    public static Summary Of(IReadOnlyList<Sample> samples)
    {
        var first = samples[0];
        return new Summary(first.Target, first.Connections, samples.Count,
            Median(samples.Select(s => s.Result.RequestsPerSecond)),
            Median(samples.Select(s => s.Result.P50Ms)),
            Median(samples.Select(s => s.Result.P99Ms)),
            Median(samples.Select(s => s.TotalCpu)),
            first.Target.Processes.ToDictionary(p => p.Name, p => Median(samples.Select(s => s.CpuPerRequest[p.Name]))),
            samples.Sum(s => s.Result.SocketErrors + s.Result.StatusErrors + s.Result.Timeouts));
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
