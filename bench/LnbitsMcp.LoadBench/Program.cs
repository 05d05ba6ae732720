using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using LnbitsMcp.LoadBench;

// The load benchmark (issue 15): bench/load.sh builds Release and runs this.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
    Wrk.EnsureInstalled();
}
catch (BenchException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

var stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
var work = Directory.CreateDirectory(Path.Combine(options.ResultsDirectory, stamp)).FullName;
using var stopping = new CancellationTokenSource();
BenchStack? stack = null;
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stack?.KillAll();
    stopping.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
AppDomain.CurrentDomain.ProcessExit += (_, _) => stack?.KillAll();

var loadBefore = LoadAverage();
Console.WriteLine($"load benchmark: logs in {work}; load average {loadBefore}");
try
{
    stack = await BenchStack.StartAsync(new Services(Repository.Root(), work), options.CompareRoot);
    var rounds = new LoadRounds(new Wrk(work), stack.Processes, Console.Out);
    var targets = stack.Select(options.Targets);
    Console.WriteLine("warm-up");
    await rounds.WarmUpAsync(targets, options.Warmup, stopping.Token);
    var samples = await rounds.RunAsync("load", targets, options.Connections, options.Rounds, options.Duration,
        (target, c) => target.Name != "sandbox" || c == 1, stopping.Token);
    var scale = options.SessionCounts.Count > 0 ? await SessionScale.RunAsync(stack, rounds, options, Console.Out, stopping.Token) : null;

    var report = new MarkdownReport(options, loadBefore, LoadAverage(), Repository.Commit()).Write(samples, scale);
    var path = Path.Combine(options.ResultsDirectory, stamp + ".md");
    await File.WriteAllTextAsync(path, report);
    Console.WriteLine();
    Console.WriteLine(report);
    Console.WriteLine($"written to {path}");
    return 0;
}
catch (BenchException error)
{
    Console.Error.WriteLine($"load benchmark failed: {error.Message} (logs in {work})");
    return 1;
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    Console.Error.WriteLine("load benchmark stopped");
    return 130;
}
finally
{
    if (stack is not null)
    {
        await stack.DisposeAsync();
    }
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

internal static class Repository
{
    public static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LnbitsMcp.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new BenchException("LnbitsMcp.sln not found above the benchmark's build output.");
    }

    public static string Commit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", Root(), "rev-parse", "--short", "HEAD"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            using var status = Process.Start(new ProcessStartInfo("git", ["-C", Root(), "status", "--porcelain", "--untracked-files=no"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var dirty = status.StandardOutput.ReadToEnd().Trim().Length > 0;
            status.WaitForExit();
            return commit + (dirty ? " (with uncommitted changes)" : string.Empty);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
