using System.Diagnostics;
using System.Text;

namespace LnbitsMcp.Testing;

/// <summary>A command run to its end with a timeout, its output and error text kept.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The result, or an exception that shows the command and what it printed.</summary>
    public CommandResult EnsureSuccess() => Succeeded
        ? this
        : throw new InvalidOperationException($"'{Command}' exited with {ExitCode}:\n{Output}\n{Error}");
}

public static class ExternalCommand
{
    /// <summary>Runs <paramref name="file"/>; killed (with its children) and reported as a timeout when it runs too long.</summary>
    public static async Task<CommandResult> RunAsync(
        string file,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IDictionary<string, string?>? environment = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        var command = $"{file} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"'{command}' did not start");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (error) { error.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{command}' did not finish within {timeout}:\n{output}\n{error}");
        }

        process.WaitForExit(); // the last output lines
        lock (output)
        {
            lock (error)
            {
                return new CommandResult(command, process.ExitCode, output.ToString(), error.ToString());
            }
        }
    }
}
