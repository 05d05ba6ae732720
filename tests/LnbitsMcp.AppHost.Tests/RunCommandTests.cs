using System.Diagnostics;
using System.Text.RegularExpressions;
using LnbitsMcp.Testing;

namespace LnbitsMcp.AppHost.Tests;

/// <summary>The README's run command, as a user types it: it starts without Docker or a dev certificate and prints the MCP URL.</summary>
[Collection(AppHostCollection.Name)]
public sealed partial class RunCommandTests
{
    [Fact]
    public async Task DotnetRunOnTheAppHostPrintsAWorkingMcpEndpoint()
    {
        var root = ServiceProcess.RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "run", "--no-build", "-c", configuration, "--project", "LnbitsMcp.AppHost" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            if (McpEndpointLine().Match(e.Data) is { Success: true } match)
            {
                endpoint.TrySetResult(match.Groups[1].Value);
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var url = await endpoint.Task.WaitAsync(TimeSpan.FromMinutes(3));
            await using var client = await ModelContextProtocol.Client.McpClient.CreateAsync(
                new ModelContextProtocol.Client.HttpClientTransport(new() { Endpoint = new Uri(url) }),
                new() { ProtocolVersion = "2025-11-25" }).WaitAsync(TimeSpan.FromSeconds(60));
            var info = await client.CallOkAsync("get_session_info");

            Assert.StartsWith("http://localhost:", url, StringComparison.Ordinal);
            Assert.StartsWith("server", info.GetProperty("replica").GetString(), StringComparison.Ordinal);
            Assert.Contains(output, line => line.Contains("Login to the dashboard at http://localhost:", StringComparison.Ordinal));
        }
        catch (TimeoutException)
        {
            Assert.Fail("no 'MCP endpoint:' line within 3 minutes:\n" + string.Join('\n', output));
        }
        finally
        {
            // As a user's Ctrl+C: SIGTERM lets the AppHost stop its resources.
            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [GeneratedRegex(@"^MCP endpoint: (http://\S+/mcp)$")]
    private static partial Regex McpEndpointLine();
}
