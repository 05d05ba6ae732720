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

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Uri> _urls = [];

    private ServiceProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The first plain-HTTP address the service listens on.</summary>
    public Uri Url => Urls.First(u => u.Scheme == Uri.UriSchemeHttp);

    /// <summary>Every address the service said it listens on ("Now listening on: …").</summary>
    public IReadOnlyList<Uri> Urls
    {
        get
        {
            lock (_urls)
            {
                return [.. _urls];
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public string Output => string.Join('\n', _output);

    /// <summary>
    /// What the service logged above Information, each entry with its message line (the simple console format writes
    /// <c>warn: Category[id]</c>, then the message on the next line): a failure's cause, for an assertion's message.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var lines = _output.ToArray();
        return [.. lines
            .Select((line, i) => (line, next: i + 1 < lines.Length ? lines[i + 1] : string.Empty))
            .Where(l => l.line.StartsWith("warn:", StringComparison.Ordinal) || l.line.StartsWith("fail:", StringComparison.Ordinal) || l.line.StartsWith("crit:", StringComparison.Ordinal))
            .Select(l => l.line.Trim() + " " + l.next.Trim())];
    }

    /// <summary>
    /// Starts <paramref name="project"/> (e.g. <c>LnbitsMcp.Server</c>), learns its addresses from its
    /// "Now listening on" lines (so port 0 can be used: no port is picked ahead and raced for) and
    /// waits until <c>/health</c> answers on the first HTTP one.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string project, IReadOnlyList<string> arguments, IDictionary<string, string?> environment)
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
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        SleepingThreadPool.ApplyToServer(project, start.Environment);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{project} did not start");
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => service.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => service.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitHealthyAsync(project);
        return service;
    }

    /// <summary>A port free right now (prefer port 0 and <see cref="Urls"/>: a free port can be taken before it is used).</summary>
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
        var marker = line.IndexOf("Now listening on: ", StringComparison.Ordinal);
        if (marker >= 0 && Uri.TryCreate(line[(marker + "Now listening on: ".Length)..].Trim(), UriKind.Absolute, out var url))
        {
            lock (_urls)
            {
                _urls.Add(url);
            }
        }
        else if (line.Contains("Application started", StringComparison.Ordinal))
        {
            _listening.TrySetResult();
        }

        while (_output.Count > 400)
        {
            _output.TryDequeue(out _);
        }
    }

    private async Task WaitHealthyAsync(string project)
    {
        var started = DateTime.UtcNow + s_startTimeout;
        while (!_listening.Task.IsCompleted)
        {
            if (_process.HasExited || DateTime.UtcNow > started)
            {
                throw new InvalidOperationException($"{project} did not start (exit code {(_process.HasExited ? _process.ExitCode : "none")}):\n{Output}");
            }

            await Task.Delay(50);
        }

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
