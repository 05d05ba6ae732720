namespace LnbitsMcp.Testing;

/// <summary>
/// The setting that makes a .NET process's idle thread-pool workers sleep at once instead of spinning first. The
/// server spins, as the runtime does by default (bench/PERFORMANCE.md, "What changed the cost"); the server processes and containers the
/// tests start do not: the tests run a dozen processes on 2 cores, where spinning servers took the CPU
/// redis-server needed and calls ended in Redis timeouts. The environment variable overrides the runtime's
/// default and any runtimeconfig.
/// </summary>
public static class SleepingThreadPool
{
    public const string Variable = "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit";
    public const string Value = "0";

    /// <summary>The project whose processes get the variable.</summary>
    public const string ServerProject = "LnbitsMcp.Server";

    /// <summary>Sets the variable for a server process the tests start (<paramref name="project"/>: its project name).</summary>
    public static void ApplyToServer(string project, IDictionary<string, string?> environment)
    {
        if (project == ServerProject)
        {
            environment[Variable] = Value;
        }
    }
}
