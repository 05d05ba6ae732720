using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using LnbitsMcp.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LnbitsMcp.AppHost.Tests;

/// <summary>
/// Starts the whole AppHost once per test class (a start costs ~20 s on 2 cores) and waits, with
/// bounded timeouts, until the edge is healthy (the edge waits for every server instance).
/// </summary>
public abstract class WholeAppFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(4);

    private readonly DirectoryInfo _redisData = Directory.CreateTempSubdirectory("apphost-redis-data-");

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

        using var cancellation = new CancellationTokenSource(s_startTimeout);
        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.LnbitsMcp_AppHost>([$"--Redis:DataDirectory={_redisData.FullName}", .. Arguments], cancellation.Token)
            .WaitAsync(s_startTimeout);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        foreach (var server in builder.Resources.OfType<ProjectResource>()
            .Where(project => Path.GetFileNameWithoutExtension(project.GetProjectMetadata().ProjectPath) == SleepingThreadPool.ServerProject).ToList())
        {
            builder.CreateResourceBuilder(server).WithEnvironment(SleepingThreadPool.Variable, SleepingThreadPool.Value);
        }

        App = await builder.BuildAsync(cancellation.Token).WaitAsync(s_startTimeout);
        await App.StartAsync(cancellation.Token).WaitAsync(s_startTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("edge", cancellation.Token).WaitAsync(s_startTimeout);
        EdgeHttp = App.GetEndpoint("edge", "http");
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        }

        try
        {
            _redisData.Delete(recursive: true);
        }
        catch (IOException)
        {
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
