using System.Text.RegularExpressions;
using LnbitsMcp.AppHost.Redis;
using LnbitsMcp.Testing;

namespace LnbitsMcp.AppHost.Tests;

/// <summary>The README's run command, as a user types it: it starts without Docker or a dev certificate and prints the MCP URL.</summary>
[Collection(AppHostCollection.Name)]
public sealed partial class RunCommandTests
{
    [Fact]
    public async Task DotnetRunOnTheAppHostPrintsAWorkingMcpEndpoint()
    {
        // Where podman runs containers, auto mode picks a Redis container: first make the test images current
        // (tests/containers/base-image.sh), so that it is never an image left by an older version of that script.
        await PodmanEnvironment.GetAsync();
        using var run = AppHostRun.Start();
        string url;
        try
        {
            url = McpEndpointLine().Match(await run.WaitForLineAsync(line => McpEndpointLine().IsMatch(line), TimeSpan.FromMinutes(3))).Groups[1].Value;
        }
        catch (TimeoutException)
        {
            Assert.Fail("no 'MCP endpoint:' line within 3 minutes:\n" + run.Output + await ContainersAsync());
            throw;
        }

        await using var client = await ModelContextProtocol.Client.McpClient.CreateAsync(
            new ModelContextProtocol.Client.HttpClientTransport(new() { Endpoint = new Uri(url) }),
            new() { ProtocolVersion = "2025-11-25" }).WaitAsync(TimeSpan.FromSeconds(60));
        var info = await client.CallOkAsync("get_session_info");

        Assert.StartsWith("http://localhost:", url, StringComparison.Ordinal);
        Assert.StartsWith("server", info.GetProperty("replica").GetString(), StringComparison.Ordinal);
        Assert.Contains(run.Lines, line => line.Contains("Login to the dashboard at http://localhost:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARedisThatStopsAtOnceIsReportedInsteadOfAQuietWait()
    {
        using var redis = new FakeRedisServer("echo 'fake redis-server: cannot start' >&2; exit 3");
        using var run = AppHostRun.Start(redis.Arguments, redis.Environment);

        var line = await WaitForRedisLineAsync(run, "Redis (RedisServer) stopped:");

        Assert.Contains("exit code 3", line, StringComparison.Ordinal);
        Assert.Contains("Redis:Mode", line, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Lines, printed => printed.StartsWith("MCP endpoint:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARedisThatNeverAnswersIsReportedAfterThePatience()
    {
        // The patience must outlast starting the process: on a cold, busy machine the orchestrator took over 5 s to
        // report a started process Running, and then the line said "Starting" although Redis was simply silent.
        using var redis = new FakeRedisServer("exec sleep 600");
        using var run = AppHostRun.Start([.. redis.Arguments, $"--{RedisReadinessWatch.PatienceKey}=20"], redis.Environment);

        var line = await WaitForRedisLineAsync(run, "Redis (RedisServer) is not ready after 20 s:");

        Assert.True(line.Contains("state Running", StringComparison.Ordinal), $"the line should say the process runs: {line}");
        Assert.DoesNotContain("health Healthy", line, StringComparison.Ordinal);
    }

    private static async Task<string> WaitForRedisLineAsync(AppHostRun run, string prefix)
    {
        try
        {
            return await run.WaitForLineAsync(line => line.StartsWith(prefix, StringComparison.Ordinal), TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"no '{prefix}' line within 2 minutes:\n{run.Output}");
            throw;
        }
    }

    /// <summary>What podman had when the app did not start (it ran Redis when the machine has a Redis image).</summary>
    private static async Task<string> ContainersAsync()
    {
        try
        {
            var text = "\n--- podman ps -a:\n" + (await Podman.RunAsync("ps", "-a")).Output;
            var ids = (await Podman.RunAsync("ps", "-a", "-q")).Output
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var id in ids)
            {
                var logs = await Podman.RunAsync("logs", "--tail", "30", id);
                text += $"--- podman logs {id}:\n{logs.Output}{logs.Error}";
            }

            return text;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            return $"\n(podman: {e.Message})";
        }
    }

    [GeneratedRegex(@"^MCP endpoint: (http://\S+/mcp)$")]
    private static partial Regex McpEndpointLine();

    /// <summary>A <c>redis-server</c> on PATH that runs <paramref name="script"/>: a Redis that breaks as a real one can.</summary>
    private sealed class FakeRedisServer : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("fake-redis-").FullName;

        public FakeRedisServer(string script)
        {
            var path = Path.Combine(_folder, "bin", "redis-server");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "#!/bin/sh\n" + script + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            Environment = new Dictionary<string, string>
            {
                ["PATH"] = Path.GetDirectoryName(path) + ":" + System.Environment.GetEnvironmentVariable("PATH"),
            };
        }

        public string[] Arguments => ["--Redis:Mode=redis-server", $"--{RedisDataDirectory.ConfigurationKey}={Path.Combine(_folder, "data")}"];

        public IReadOnlyDictionary<string, string> Environment { get; }

        public void Dispose() => Directory.Delete(_folder, recursive: true);
    }
}
