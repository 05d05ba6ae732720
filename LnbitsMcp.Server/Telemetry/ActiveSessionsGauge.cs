using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Telemetry;

/// <summary>
/// Reads the number of live sessions every 15 seconds for the <c>lnbits_mcp.sessions.active</c>
/// gauge (sessions expire by Redis TTL; nothing sweeps them, so the count is read, not kept).
/// </summary>
public sealed partial class ActiveSessionsGauge(ISessionStore store, ServerMetrics metrics, ILogger<ActiveSessionsGauge> logger) : BackgroundService
{
    private long _count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.ObserveActiveSessions(() => Interlocked.Read(ref _count));
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(15));
        do
        {
            try
            {
                Interlocked.Exchange(ref _count, await store.CountAsync(stoppingToken));
            }
            catch (Exception ex) when (RedisFailure.Is(ex))
            {
                LogCountFailed(logger, ex.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count live sessions ({ErrorType})")]
    private static partial void LogCountFailed(ILogger logger, string errorType);
}
