using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace LnbitsMcp.LoadBench;

/// <summary>What one wrk run measured.</summary>
public sealed record WrkResult(long Requests, double Seconds, double P50Ms, double P99Ms, long SocketErrors, long StatusErrors, long Timeouts)
{
    public double RequestsPerSecond => Requests / Seconds;
}

/// <summary>
/// Runs wrk (closed loop: every connection sends its next request when the answer arrived) with a Lua
/// script that gives every JSON-RPC request its own id and prints the summary as one JSON line.
/// </summary>
public sealed class Wrk(string scriptDirectory)
{
    private const string Script = """
        -- MCP over Streamable HTTP: a JSON-RPC POST per request, each with its own id.
        local method = os.getenv("BENCH_METHOD")
        local rest = os.getenv("BENCH_BODY")
        local session = os.getenv("BENCH_SESSION")
        local credentialName = os.getenv("BENCH_CREDENTIAL_NAME")
        local credentialValue = os.getenv("BENCH_CREDENTIAL_VALUE")
        wrk.method = method
        if method == "POST" then
          wrk.headers["Content-Type"] = "application/json"
          wrk.headers["Accept"] = "application/json, text/event-stream"
          wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
        end
        if session ~= nil and session ~= "" then wrk.headers["Mcp-Session-Id"] = session end
        if credentialName ~= nil and credentialName ~= "" then wrk.headers[credentialName] = credentialValue end

        local threads = 0
        function setup(thread)
          thread:set("offset", threads * 1000000000)
          threads = threads + 1
        end

        local counter = 0
        function request()
          if method ~= "POST" then return wrk.format() end
          counter = counter + 1
          return wrk.format(nil, nil, nil, '{"jsonrpc":"2.0","id":' .. (offset + counter) .. ',' .. rest)
        end

        function done(summary, latency, requests)
          local e = summary.errors
          io.write(string.format('BENCH {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"socket_errors":%d,"status_errors":%d,"timeouts":%d}\n',
            summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
            e.connect + e.read + e.write, e.status, e.timeout))
        end
        """;

    private readonly string _scriptPath = WriteScript(scriptDirectory);

    /// <summary>Fails with a clear message when wrk is not installed.</summary>
    public static void EnsureInstalled()
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("wrk", "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            probe.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new BenchException("wrk is not installed: it is the load generator (Debian/Ubuntu: sudo apt-get install wrk).");
        }
    }

    /// <param name="body">The JSON-RPC message after its id (<c>"method":…}</c>), or null for a GET.</param>
    public async Task<WrkResult> RunAsync(Uri url, int connections, TimeSpan duration, string? body, string? sessionId, (string Name, string Value)? credential, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "-t", Math.Min(2, connections).ToString(CultureInfo.InvariantCulture),
            "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
            "--timeout", "10s",
            "-s", _scriptPath,
            url.AbsoluteUri,
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["BENCH_METHOD"] = body is null ? "GET" : "POST";
        start.Environment["BENCH_BODY"] = body ?? string.Empty;
        start.Environment["BENCH_SESSION"] = sessionId ?? string.Empty;
        start.Environment["BENCH_CREDENTIAL_NAME"] = credential?.Name ?? string.Empty;
        start.Environment["BENCH_CREDENTIAL_VALUE"] = credential?.Value ?? string.Empty;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var line = (await output).Split('\n').FirstOrDefault(l => l.StartsWith("BENCH ", StringComparison.Ordinal))
            ?? throw new BenchException($"wrk printed no summary: {await output} {await errors}");
        using var json = JsonDocument.Parse(line["BENCH ".Length..]);
        var root = json.RootElement;
        return new WrkResult(
            root.GetProperty("requests").GetInt64(),
            root.GetProperty("duration_us").GetInt64() / 1e6,
            root.GetProperty("p50_us").GetInt64() / 1000.0,
            root.GetProperty("p99_us").GetInt64() / 1000.0,
            root.GetProperty("socket_errors").GetInt64(),
            root.GetProperty("status_errors").GetInt64(),
            root.GetProperty("timeouts").GetInt64());
    }

    private static string WriteScript(string directory)
    {
        var path = Path.Combine(directory, "mcp.lua");
        File.WriteAllText(path, Script);
        return path;
    }
}

/// <summary>A benchmark that cannot go on (a missing tool, a target that answers wrongly).</summary>
public sealed class BenchException(string message) : Exception(message);
