using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace LnbitsMcp.AppHost.Redis;

/// <summary>
/// Says on the console when the Redis the AppHost started stops, or is still not ready after
/// <c>patience</c>. The servers and the edge wait for Redis, so without this line
/// <c>dotnet run</c> would only go quiet: no <c>MCP endpoint:</c> line and no reason.
/// (Not a hosted service: the AppHost starts those only once its resources have started.)
/// </summary>
public sealed class RedisReadinessWatch(
    ResourceNotificationService notifications, string resourceName, string mode, TimeSpan patience, TextWriter output)
{
    /// <summary>The configuration key for the patience in seconds (default 60).</summary>
    public const string PatienceKey = "Redis:ReadyWarningSeconds";

    /// <summary>Watches the resource <paramref name="name"/> from the app's start, on the console.</summary>
    public static void StartWithTheApp(IDistributedApplicationBuilder builder, string name, RedisMode mode)
    {
        var patience = TimeSpan.FromSeconds(builder.Configuration.GetValue(PatienceKey, 60.0));
        builder.Eventing.Subscribe<BeforeStartEvent>((startEvent, cancellation) =>
        {
            var watch = new RedisReadinessWatch(
                startEvent.Services.GetRequiredService<ResourceNotificationService>(), name, mode.ToString(), patience, Console.Out);
            // Not awaited: it runs until Redis is ready, stops or is late, and ends with the app.
            _ = watch.WatchAsync(startEvent.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
            return Task.CompletedTask;
        });
    }

    /// <summary>Watches until Redis is ready, stops, or the patience runs out; then says so, or nothing when it is ready.</summary>
    public async Task WatchAsync(CancellationToken stoppingToken)
    {
        using var late = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        late.CancelAfter(patience);
        ResourceEvent? last = null;
        try
        {
            await foreach (var change in notifications.WatchAsync(late.Token))
            {
                if (change.Resource.Name != resourceName)
                {
                    continue;
                }

                last = change;
                var state = change.Snapshot.State?.Text;
                if (state == KnownResourceStates.Running && change.Snapshot.HealthStatus == HealthStatus.Healthy)
                {
                    return;
                }

                if (state is not null && KnownResourceStates.TerminalStates.Contains(state))
                {
                    await output.WriteLineAsync(
                        $"Redis ({mode}) stopped: {Describe(change)}. The servers and the edge wait for it, so the app cannot start. " +
                        $"Its log is in the dashboard (resource '{resourceName}'); README \"Redis\" lists the other modes (Redis:Mode).");
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            await output.WriteLineAsync(
                $"Redis ({mode}) is not ready after {patience.TotalSeconds:0} s: {(last is null ? "no state yet" : Describe(last))}. " +
                $"The servers and the edge wait for it. Its log is in the dashboard (resource '{resourceName}'); " +
                "README \"Redis\" lists the other modes (Redis:Mode).");
        }
        catch (OperationCanceledException)
        {
            // the AppHost is stopping
        }
    }

    private static string Describe(ResourceEvent change)
    {
        var snapshot = change.Snapshot;
        var text = $"state {snapshot.State?.Text ?? "unknown"}";
        if (snapshot.HealthStatus is { } health)
        {
            text += $", health {health}";
        }

        if (snapshot.ExitCode is { } exitCode)
        {
            text += $", exit code {exitCode}";
        }

        return text;
    }
}
