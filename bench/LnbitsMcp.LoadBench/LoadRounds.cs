namespace LnbitsMcp.LoadBench;

/// <summary>
/// Measures targets in interleaved rounds: in every round each connection count runs every target once, in the order
/// <see cref="Order"/> gives, so that each of ours runs right beside its reference. CPU per request is read from /proc
/// for every process over exactly the wrk run.
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
                foreach (var target in Order(targets, round).Where(t => include(t, c)))
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

    /// <summary>
    /// A round's order: the targets as listed in odd rounds, reversed in even ones. Listed with each of ours beside its
    /// reference (<see cref="BenchStack"/>), a goal's two targets run back to back in every round, each first in every
    /// other round, so the ratio of a round compares them under the same conditions. (The machine's speed drifts over
    /// minutes: in the thirtieth and thirty-first rounds' full runs, whose order turned by one target a round, the
    /// round that put the server first and the bare SDK last, nine runs apart, gave 1.61× and 1.69× their CPU per
    /// call, the rounds that ran them one after the other 2.12–2.21×.)
    /// </summary>
    public static IEnumerable<T> Order<T>(IReadOnlyList<T> targets, int round) =>
        round % 2 == 1 ? targets : Enumerable.Reverse(targets);

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
