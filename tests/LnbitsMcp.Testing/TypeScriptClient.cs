using System.Diagnostics;
using System.Text.Json;

namespace LnbitsMcp.Testing;

/// <summary>Runs the official TypeScript MCP SDK client scenario (<c>tests/e2e/ts-client.mjs</c>) with node.</summary>
public static class TypeScriptClient
{
    public static async Task<JsonElement> RunAsync(Uri url, string mode, Uri lnbitsUrl, string adminKey)
    {
        var start = NodeStart("ts-client.mjs", [url.AbsoluteUri, mode, lnbitsUrl.AbsoluteUri, adminKey]);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the TypeScript client failed ({process.ExitCode}):\n{await stderr}\n{await stdout}");
        }

        using var document = JsonDocument.Parse(await stdout);
        return document.RootElement.Clone();
    }

    /// <summary>node running a script of <c>tests/e2e</c> (with the SDK installed there by test.sh), output redirected.</summary>
    internal static ProcessStartInfo NodeStart(string script, IEnumerable<string> arguments)
    {
        var directory = Path.Combine(ServiceProcess.RepositoryRoot(), "tests", "e2e");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "@modelcontextprotocol", "sdk")))
        {
            throw new InvalidOperationException("The TypeScript MCP SDK is not installed: run ./test.sh (it runs npm ci in tests/e2e).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
