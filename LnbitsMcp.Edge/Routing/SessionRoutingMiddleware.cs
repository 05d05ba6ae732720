using Yarp.ReverseProxy.Model;

namespace LnbitsMcp.Edge.Routing;

/// <summary>
/// Proxy-pipeline step: a request of a known session may only go to that session's instance while
/// the instance is healthy. When it is not, every healthy instance stays available (failover), and
/// <see cref="SessionRouteLearning"/> records where the request went.
/// </summary>
public static class SessionRoutingMiddleware
{
    public static Task RouteBySessionAsync(HttpContext context, Func<Task> next)
    {
        var sessionKey = SessionKey.FromRequest(context.Request);
        if (sessionKey is not null)
        {
            var feature = context.GetReverseProxyFeature();
            var table = context.RequestServices.GetRequiredService<SessionRouteTable>();
            var destinationId = table.Find(sessionKey);
            context.Items[SessionRouteLearning.SessionKeyItem] = sessionKey;
            if (destinationId is not null && Find(feature.AvailableDestinations, destinationId) is { } destination)
            {
                feature.AvailableDestinations = [destination];
            }
        }

        return next();
    }

    private static DestinationState? Find(IReadOnlyList<DestinationState> destinations, string destinationId)
    {
        foreach (var destination in destinations)
        {
            if (string.Equals(destination.DestinationId, destinationId, StringComparison.Ordinal))
            {
                return destination;
            }
        }

        return null;
    }
}
