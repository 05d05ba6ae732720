namespace LnbitsMcp.LoadBench;

/// <summary>
/// Measures targets in interleaved rounds: in every round each connection count runs every target once,
/// references and ours one after another (the order turns each round), so machine noise hits all alike.
/// CPU per request is read from /proc for every process over exactly the wrk run.
/// </summary>
public sealed class LoadRounds(Wrk wrk, IReadOnlyList<ChildProcess> processes, TextWriter log)
{
    public async Task WarmUpAsync(IEnumerable<LoadTarget> targets, TimeSpan duration, CancellationToken cancellationToken)
    {
        foreach (var target in targets)
        {
            await McpSetup.VerifyAsync(target);
            log.WriteLine($"  warm-up {target.Name}");
            await wrk.RunAsync(target.Url, 16, duration, target.Body, target.SessionId, target.Credential, cancellationToken);
        }
    }

    public async Task<List<Sample>> RunAsync(string phase, IReadOnlyList<LoadTarget> targets, IReadOnlyList<int> connections, int rounds, TimeSpan duration, Func<LoadTarget, int, bool> include, CancellationToken cancellationToken)
    {
        var samples = new List<Sample>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var c in connections)
            {
                var shift = (round - 1) % targets.Count;
                foreach (var target in targets.Skip(shift).Concat(targets.Take(shift)).Where(t => include(t, c)))
                {
                    var sample = await MeasureAsync(phase, target, c, round, duration, cancellationToken);
                    samples.Add(sample);
                    log.WriteLine($"  {phase} round {round} c={c,-3} {target.Name,-15} {sample.Result.RequestsPerSecond,8:F0} rps  p50 {sample.Result.P50Ms,6:F2} ms  p99 {sample.Result.P99Ms,7:F2} ms  {sample.TotalCpu,6:F0} µs/req"
                        + (sample.Result.StatusErrors + sample.Result.SocketErrors + sample.Result.Timeouts > 0 ? $"  ERRORS status={sample.Result.StatusErrors} socket={sample.Result.SocketErrors} timeouts={sample.Result.Timeouts}" : string.Empty));
                }
            }
        }

        return samples;
    }

    private async Task<Sample> MeasureAsync(string phase, LoadTarget target, int connections, int round, TimeSpan duration, CancellationToken cancellationToken)
    {
        var before = processes.ToDictionary(p => p.Name, p => p.CpuMicroseconds());
        var result = await wrk.RunAsync(target.Url, connections, duration, target.Body, target.SessionId, target.Credential, cancellationToken);
        var after = processes.ToDictionary(p => p.Name, p => p.CpuMicroseconds());
        var requests = Math.Max(1, result.Requests);
        await McpSetup.VerifyAsync(target); // still answering right after the load
        return new Sample(phase, target, connections, round, result, processes.ToDictionary(p => p.Name, p => (after[p.Name] - before[p.Name]) / requests));
    }
}
