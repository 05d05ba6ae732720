namespace LnbitsMcp.Edge.Routing;

/// <summary>Drops expired in-memory routes every minute.</summary>
public sealed class SessionRouteSweeper(SessionRouter router) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            router.RemoveExpired();
        }
    }
}
