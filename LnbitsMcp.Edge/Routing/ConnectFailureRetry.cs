using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace LnbitsMcp.Edge.Routing;

/// <summary>
/// Proxy-pipeline step after load balancing: when the chosen instance refuses the connection or its
/// name does not resolve (it just died, before health checks noticed), nothing reached it, so the request is safely sent
/// once more to the least-loaded other healthy instance and the dead one is marked unhealthy.
/// The body is not buffered for that: a connection that was never made read none of it, so it is still whole in
/// Kestrel's request stream. The stream is watched all the same, and a request whose body was read is never sent again.
/// </summary>
public static class ConnectFailureRetry
{
    private static readonly TimeSpan s_reactivationPeriod = TimeSpan.FromSeconds(10);

    public static async Task ForwardAsync(HttpContext context, Func<Task> next)
    {
        var body = context.Request.Body;
        var watched = new ReadWatchingStream(body);
        context.Request.Body = watched;
        try
        {
            await next();
            if (!watched.WasRead)
            {
                await RetryConnectFailureAsync(context, next);
            }
        }
        finally
        {
            context.Request.Body = body;
        }
    }

    private static async Task RetryConnectFailureAsync(HttpContext context, Func<Task> next)
    {
        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is null || context.Response.HasStarted || !IsConnectFailure(error))
        {
            return;
        }

        var feature = context.GetReverseProxyFeature();
        var failed = feature.ProxiedDestination;
        if (failed is null || context.Items[SessionRoutingMiddleware.AllDestinationsItem] is not IReadOnlyList<DestinationState> all)
        {
            return;
        }

        if (context.GetRouteModel().Cluster is { } cluster)
        {
            context.RequestServices.GetRequiredService<IDestinationHealthUpdater>()
                .SetPassive(cluster, failed, DestinationHealth.Unhealthy, s_reactivationPeriod);
        }

        var alternative = all.Where(d => d != failed && d.Health.Active != DestinationHealth.Unhealthy && d.Health.Passive != DestinationHealth.Unhealthy)
            .OrderBy(d => d.ConcurrentRequestCount)
            .FirstOrDefault();
        if (alternative is null)
        {
            return;
        }

        context.Features.Set<IForwarderErrorFeature>(null);
        context.Response.Clear();
        feature.AvailableDestinations = [alternative];
        await next();
    }

    /// <summary>
    /// The request never reached the instance: the connection was refused, or (on container networks,
    /// where a dead container's name leaves the network's DNS) its name no longer resolves.
    /// </summary>
    internal static bool IsConnectFailure(IForwarderErrorFeature error) =>
        error.Error == ForwarderError.Request
        && error.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
}
