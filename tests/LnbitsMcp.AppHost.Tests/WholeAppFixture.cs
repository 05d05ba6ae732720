using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using LnbitsMcp.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LnbitsMcp.AppHost.Tests;

/// <summary>
/// Starts the whole AppHost once per test class (a start costs ~20 s on 2 cores) and waits, with
/// bounded timeouts, until the edge is healthy (the edge waits for every server instance). A start that
/// does not finish in time is stopped and made once more from scratch: once in many clean-clone runs a start
/// did not finish within four minutes, with nothing to say why. What a start left unfinished (each resource's
/// state, the AppHost's warnings) is reported, and both starts are in the failure when the second fails too.
/// </summary>
public abstract class WholeAppFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(2);
    private const int Starts = 2;
    private const int MaxLoggedLines = 40;

    private readonly List<DirectoryInfo> _redisData = [];

    public DistributedApplication App { get; private set; } = null!;

    public Uri EdgeHttp { get; private set; } = null!;

    /// <summary>Why this app cannot start on this machine (then its tests skip), or null.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>The AppHost's command line.</summary>
    protected abstract string[] Arguments { get; }

    public void SkipWhenUnavailable() => Assert.SkipWhen(SkipReason is not null, SkipReason ?? string.Empty);

    public async ValueTask InitializeAsync()
    {
        SkipReason = await UnavailableBecauseAsync();
        if (SkipReason is not null)
        {
            return;
        }

        var unfinished = new List<string>();
        for (var start = 1; ; start++)
        {
            var log = new CapturedLogs(withSource: true);
            try
            {
                await StartAsync(log);
                return;
            }
            catch (Exception error) when (error is OperationCanceledException or TimeoutException)
            {
                unfinished.Add($"Start {start} of the AppHost ({string.Join(' ', Arguments)}) did not finish within {s_startTimeout.TotalSeconds:0} s. " +
                    $"Its resources: {ResourceStates()}. What it logged (warnings and errors, the last {MaxLoggedLines}): {(log.Lines.IsEmpty ? "nothing" : string.Join(" | ", log.Lines.TakeLast(MaxLoggedLines)))}");
                TestContext.Current.SendDiagnosticMessage(unfinished[^1]);
                await StopAsync();
                if (start == Starts)
                {
                    throw new TimeoutException(string.Join('\n', unfinished), error);
                }
            }
        }
    }

    private async Task StartAsync(CapturedLogs log)
    {
        var redisData = Directory.CreateTempSubdirectory("apphost-redis-data-");
        _redisData.Add(redisData);
        using var cancellation = new CancellationTokenSource(s_startTimeout);
        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.LnbitsMcp_AppHost>([$"--Redis:DataDirectory={redisData.FullName}", .. Arguments], cancellation.Token)
            .WaitAsync(cancellation.Token);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(log)
            .AddFilter<CapturedLogs>(level => level >= LogLevel.Warning)); // the AppHost's settings let its resources' output through
        foreach (var server in builder.Resources.OfType<ProjectResource>()
            .Where(project => Path.GetFileNameWithoutExtension(project.GetProjectMetadata().ProjectPath) == SleepingThreadPool.ServerProject).ToList())
        {
            builder.CreateResourceBuilder(server).WithEnvironment(SleepingThreadPool.Variable, SleepingThreadPool.Value);
        }

        App = await builder.BuildAsync(cancellation.Token).WaitAsync(cancellation.Token);
        await App.StartAsync(cancellation.Token).WaitAsync(cancellation.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("edge", cancellation.Token).WaitAsync(cancellation.Token);
        EdgeHttp = App.GetEndpoint("edge", "http");
    }

    /// <summary>Each resource's state and health as the app last reported them, for a failure message.</summary>
    private string ResourceStates()
    {
        if (App is null)
        {
            return "none (the app was not built)";
        }

        return string.Join(", ", App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Select(resource =>
            App.ResourceNotifications.TryGetCurrentState(resource.Name, out var current)
                ? $"{resource.Name} {current.Snapshot.State?.Text ?? "(no state)"}{(current.Snapshot.HealthStatus is { } health ? $" {health}" : string.Empty)}"
                : $"{resource.Name} (not reported)"));
    }

    /// <summary>Stops an app whose start did not finish (its stop may hang as well: it gets a minute).</summary>
    private async Task StopAsync()
    {
        if (App is null)
        {
            return;
        }

        try
        {
            await App.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        }
        catch (Exception error) when (error is TimeoutException or OperationCanceledException)
        {
            TestContext.Current.SendDiagnosticMessage($"The unfinished AppHost did not stop within a minute ({error.GetType().Name}).");
        }

        App = null!;
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        }

        foreach (var redisData in _redisData)
        {
            try
            {
                redisData.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    protected virtual Task<string?> UnavailableBecauseAsync() => Task.FromResult<string?>(null);
}

/// <summary>The app with Redis as a local redis-server process (what auto mode picks without a container runtime).</summary>
public sealed class RedisServerAppFixture : WholeAppFixture
{
    protected override string[] Arguments => ["--Redis:Mode=redis-server"];
}

/// <summary>
/// The app with Redis as a container run by podman: the image AddRedis asks for is the one
/// tests/containers/base-image.sh made here, so nothing is pulled.
/// </summary>
public sealed class PodmanAppFixture : WholeAppFixture
{
    protected override string[] Arguments => ["--Redis:Mode=container", "--ASPIRE_CONTAINER_RUNTIME=podman"];

    public PodmanEnvironment Podman { get; private set; } = null!;

    protected override async Task<string?> UnavailableBecauseAsync()
    {
        Podman = await PodmanEnvironment.GetAsync();
        return Podman.SkipReason;
    }
}
