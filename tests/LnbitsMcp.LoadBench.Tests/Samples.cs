using LnbitsMcp.LoadBench;

namespace LnbitsMcp.LoadBench.Tests;

/// <summary>Measured runs made up for the report's tests: a target's rps and p50 in a round (no processes, so no CPU).</summary>
internal static class Samples
{
    public static Sample Of(string target, int connections, int round, double rps = 1000, double p50 = 1)
    {
        var loadTarget = new LoadTarget(target, target, new Uri("http://127.0.0.1:1/"), Body: null, SessionId: null, Processes: []);
        var result = new WrkResult(Requests: (long)(rps * 10), Seconds: 10, P50Ms: p50, P99Ms: p50 * 2, SocketErrors: 0, StatusErrors: 0, Timeouts: 0);
        return new Sample("load", loadTarget, connections, round, result, new Dictionary<string, double>());
    }
}
