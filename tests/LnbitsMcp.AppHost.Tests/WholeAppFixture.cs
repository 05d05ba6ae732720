using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LnbitsMcp.AppHost.Tests;

/// <summary>
/// Starts the whole AppHost once per test class (a start costs ~20 s on 2 cores) and waits, with
/// bounded timeouts, until the edge is healthy (the edge waits for every server instance).
/// </summary>
public sealed class WholeAppFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(4);

    private readonly DirectoryInfo _redisData = Directory.CreateTempSubdirectory("apphost-redis-data-");

    public DistributedApplication App { get; private set; } = null!;

    public Uri EdgeHttp { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        using var cancellation = new CancellationTokenSource(s_startTimeout);
        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.LnbitsMcp_AppHost>([$"--Redis:DataDirectory={_redisData.FullName}"], cancellation.Token)
            .WaitAsync(s_startTimeout);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
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
}
