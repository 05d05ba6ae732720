using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LnbitsMcp.Testing;

/// <summary>Starting and killing one Debian <c>redis-server</c> process on a loopback port (a node or a cluster node).</summary>
public static class RedisProcess
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    /// <summary>Starts <c>redis-server --port P --bind 127.0.0.1 --dir D …</c> and waits until it listens.</summary>
    /// <exception cref="InvalidOperationException">it exited at once (e.g. the port was taken).</exception>
    public static async Task<Process> StartAsync(int port, string directory, IEnumerable<string> arguments)
    {
        Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start (is it installed? ./test.sh installs it)");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow + s_timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited at once (code {process.ExitCode}); port {port} may be taken");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return process;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"redis-server did not listen on port {port}");
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash would.</summary>
    public static async Task KillAsync(Process? process)
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(s_timeout);
        }

        process?.Dispose();
    }

    /// <summary>Runs <c>redis-cli -p port args…</c> and returns its output.</summary>
    public static async Task<string> CliAsync(int port, params string[] arguments)
    {
        var (exitCode, output) = await RunCliAsync(["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), .. arguments]);
        return exitCode == 0 ? output : throw new InvalidOperationException($"redis-cli -p {port} {string.Join(' ', arguments)} failed: {output}");
    }

    /// <summary>
    /// How often each command ran since the last <c>CONFIG RESETSTAT</c>, by name (<c>INFO commandstats</c>:
    /// <c>cmdstat_get:calls=N,…</c>); the <c>CONFIG</c> and <c>INFO</c> that ask are left out.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, int>> CommandCallsAsync(int port) =>
        (await InfoAsync(port, "commandstats"))
            .Where(field => field.Key.StartsWith("cmdstat_", StringComparison.Ordinal))
            .Select(field => (Name: field.Key["cmdstat_".Length..], Calls: int.Parse(field.Value["calls=".Length..field.Value.IndexOf(',', StringComparison.Ordinal)], CultureInfo.InvariantCulture)))
            .Where(command => !command.Name.StartsWith("config", StringComparison.Ordinal) && command.Name != "info")
            .ToDictionary(command => command.Name, command => command.Calls, StringComparer.Ordinal);

    /// <summary>The fields of <c>INFO section</c> (<c>name:value</c> lines; the <c># Section</c> headers left out).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> InfoAsync(int port, string section) =>
        (await CliAsync(port, "info", section))
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

    public static async Task<(int ExitCode, string Output)> RunCliAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start (./test.sh installs redis-server)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(s_timeout);
        return (process.ExitCode, await stdout + await stderr);
    }
}
