using System.Diagnostics;

namespace LnbitsMcp.AppHost.Redis;

/// <summary>
/// Finds a container runtime that can run the Redis container here, before the app is built (Aspire
/// has no such API then). A runtime counts only when it answers <c>info</c>, has the Redis image (or
/// pulls it) and really runs it once: Debian's podman answers <c>info</c> on machines where it cannot
/// start a container until containers.conf says how (README "Containers").
/// </summary>
public sealed class ContainerRuntimeProbe(string image, Func<string, string[], TimeSpan, ProbeRun>? run = null)
{
    /// <summary>The configuration key (also an environment variable) naming Aspire's container runtime.</summary>
    public const string RuntimeKey = "ASPIRE_CONTAINER_RUNTIME";

    /// <summary>The runtimes Aspire knows, in its own order of preference.</summary>
    public static readonly IReadOnlyList<string> KnownRuntimes = ["docker", "podman"];

    private static readonly TimeSpan s_infoTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_pullTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan s_trialTimeout = TimeSpan.FromSeconds(30);

    private readonly Func<string, string[], TimeSpan, ProbeRun> _run = run ?? Run;

    /// <summary>The image the runtime must be able to run.</summary>
    public string ContainerImage => image;

    /// <summary>
    /// The configured runtime (<c>ASPIRE_CONTAINER_RUNTIME</c>) or else the first of docker, podman
    /// that can run <see cref="ContainerImage"/>; with the reason when none can.
    /// </summary>
    public ContainerRuntimeStatus Probe(string? configuredRuntime)
    {
        var candidates = string.IsNullOrWhiteSpace(configuredRuntime) ? KnownRuntimes : [configuredRuntime.Trim()];
        var problems = new List<string>();
        foreach (var runtime in candidates)
        {
            var problem = ProblemWith(runtime);
            if (problem is null)
            {
                return new ContainerRuntimeStatus(runtime, Problem: null);
            }

            problems.Add(problem);
        }

        return new ContainerRuntimeStatus(Runtime: null, string.Join("; ", problems));
    }

    private string? ProblemWith(string runtime)
    {
        var info = _run(runtime, ["info"], s_infoTimeout);
        if (!info.Started)
        {
            return $"{runtime} is not installed";
        }

        if (info.ExitCode != 0)
        {
            return $"'{runtime} info' failed{Detail(info)}";
        }

        if (_run(runtime, ["image", "inspect", image], s_infoTimeout).ExitCode != 0)
        {
            var pull = _run(runtime, ["pull", image], s_pullTimeout);
            if (pull.ExitCode != 0)
            {
                return $"{runtime} has no image {image} and cannot pull it{Detail(pull)}";
            }
        }

        var trial = _run(runtime, ["run", "--rm", "--pull=never", "--network=none", image, "redis-server", "--version"], s_trialTimeout);
        return trial.ExitCode == 0 ? null : $"{runtime} cannot run {image}{Detail(trial)}";
    }

    private static string Detail(ProbeRun run) =>
        string.IsNullOrWhiteSpace(run.Error) ? string.Empty : $" ({run.Error.Trim().ReplaceLineEndings(" ")})";

    private static ProbeRun Run(string command, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return ProbeRun.NotStarted;
            }

            _ = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return new ProbeRun(true, -1, $"no answer within {timeout.TotalSeconds:0} s");
            }

            process.WaitForExit(); // drains the redirected streams
            var text = error.Wait(TimeSpan.FromSeconds(1)) ? error.Result : string.Empty;
            return new ProbeRun(true, process.ExitCode, text.Length > 300 ? text[..300] : text);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return ProbeRun.NotStarted; // not installed
        }
    }
}

/// <summary>The runtime that can run the Redis container, or why none can.</summary>
public sealed record ContainerRuntimeStatus(string? Runtime, string? Problem)
{
    public bool IsUsable => Runtime is not null;
}

/// <summary>One command the probe ran: whether it started, its exit code and its standard error.</summary>
public sealed record ProbeRun(bool Started, int ExitCode, string Error)
{
    public static readonly ProbeRun NotStarted = new(false, -1, string.Empty);
}
