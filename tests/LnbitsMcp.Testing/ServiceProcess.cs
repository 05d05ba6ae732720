using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LnbitsMcp.Testing;

/// <summary>
/// One of our services (server or edge) as a real process: <c>dotnet &lt;Project&gt;.dll</c> from the
/// project's build output, on a free loopback port, with its output kept for failure messages.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Process _process;

    private ServiceProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public bool HasExited => _process.HasExited;

    public string Output => string.Join('\n', _output);

    /// <summary>Starts <paramref name="project"/> (e.g. <c>LnbitsMcp.Server</c>) and waits until <c>/health</c> answers.</summary>
    public static async Task<ServiceProcess> StartAsync(string project, IReadOnlyList<string> arguments, IDictionary<string, string?> environment, Uri url)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(ProjectDll(project))!,
        };
        start.ArgumentList.Add(ProjectDll(project));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{project} did not start");
        var service = new ServiceProcess(process, url);
        process.OutputDataReceived += (_, e) => service.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => service.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitHealthyAsync(project);
        return service;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The build output of a project of this repository, in the configuration the tests were built in.</summary>
    public static string ProjectDll(string project)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepositoryRoot(), project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built ({path}); build the solution first.");
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LnbitsMcp.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("LnbitsMcp.sln not found above the test output.");
    }

    /// <summary>Kills the process at once, as a crash would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(s_startTimeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 400)
        {
            _output.TryDequeue(out _);
        }
    }

    private async Task WaitHealthyAsync(string project)
    {
        using var http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } })
        {
            Timeout = TimeSpan.FromSeconds(2),
        };
        var deadline = DateTime.UtcNow + s_startTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{project} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Url, "/health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{project} did not become healthy at {Url}:\n{Output}");
    }
}
