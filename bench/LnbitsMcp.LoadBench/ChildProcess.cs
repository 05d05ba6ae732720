using System.Diagnostics;
using System.Globalization;

namespace LnbitsMcp.LoadBench;

/// <summary>
/// A process the benchmark started: its output goes to a log file, its listening address is read from
/// Kestrel's "Now listening on" line, and its CPU time is read from <c>/proc/&lt;pid&gt;/stat</c>.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly double s_microsecondsPerTick = 1_000_000.0 / ClockTicksPerSecond();
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The address from the first "Now listening on" line (our services and the references print it).</summary>
    public Task<Uri> Listening => _listening.Task;

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, IDictionary<string, string> environment, string logDirectory, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? logDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        var log = new StreamWriter(Path.Combine(logDirectory, name + ".log")) { AutoFlush = false };
        var child = new ChildProcess(name, process, log);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => child._listening.TrySetException(new BenchException($"{name} exited (see {name}.log)"));
        return child;
    }

    /// <summary>User + system CPU time the process used so far, in microseconds (every thread).</summary>
    public double CpuMicroseconds()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields after "pid (comm) ": state is [0]; utime is field 14 of stat(5), stime 15.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * s_microsecondsPerTick;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
        }
        catch (Exception error) when (error is InvalidOperationException or TimeoutException)
        {
            // already gone
        }

        lock (_log)
        {
            _log.Flush();
            _log.Dispose();
        }

        _process.Dispose();
    }

    /// <summary>Kills the process without waiting (exit handlers: nothing may outlive the benchmark).</summary>
    public void KillNow()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.BaseStream.CanWrite)
            {
                _log.WriteLine(line);
            }
        }

        const string Marker = "Now listening on: ";
        var at = line.IndexOf(Marker, StringComparison.Ordinal);
        if (at >= 0 && Uri.TryCreate(line[(at + Marker.Length)..].Trim(), UriKind.Absolute, out var url))
        {
            _listening.TrySetResult(url);
        }
    }

    private static long ClockTicksPerSecond()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true })!;
            var text = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return long.TryParse(text, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 ? ticks : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }
}
