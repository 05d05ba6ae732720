using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using LnbitsMcp.Testing;

namespace LnbitsMcp.AppHost.Tests;

/// <summary>
/// <c>dotnet run --project LnbitsMcp.AppHost</c> as a user types it (plus any arguments and environment),
/// with everything it prints kept; disposing stops it as Ctrl+C does.
/// </summary>
public sealed class AppHostRun : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<(Func<string, bool> Matches, TaskCompletionSource<string> Seen)> _waits = [];

    private AppHostRun(Process process) => _process = process;

    /// <summary>Every line printed so far, stdout and stderr.</summary>
    public IReadOnlyCollection<string> Lines => _lines;

    public string Output => string.Join('\n', _lines);

    /// <summary><c>dotnet run</c> of the AppHost as built for these tests (Debug or Release), from the repository root.</summary>
    public static IReadOnlyList<string> DotnetRunArguments { get; } =
        ["run", "--no-build", "-c", AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug", "--project", "LnbitsMcp.AppHost"];

    public static AppHostRun Start(IEnumerable<string>? arguments = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = ServiceProcess.RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in DotnetRunArguments.Concat(arguments ?? []))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var run = new AppHostRun(Process.Start(start)!);
        run._process.OutputDataReceived += (_, e) => run.Add(e.Data);
        run._process.ErrorDataReceived += (_, e) => run.Add(e.Data);
        run._process.BeginOutputReadLine();
        run._process.BeginErrorReadLine();
        return run;
    }

    /// <summary>The first line (already printed or to come) that <paramref name="matches"/>; a TimeoutException after <paramref name="timeout"/>.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> matches, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waits)
        {
            _waits.Add((matches, seen));
            if (_lines.FirstOrDefault(matches) is { } line)
            {
                seen.TrySetResult(line);
            }
        }

        return seen.Task.WaitAsync(timeout);
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_waits)
        {
            _lines.Enqueue(line);
            foreach (var (matches, seen) in _waits.Where(wait => wait.Matches(line)))
            {
                seen.TrySetResult(line);
            }
        }
    }

    public void Dispose()
    {
        // As a user's Ctrl+C: SIGTERM lets the AppHost stop its resources.
        Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
