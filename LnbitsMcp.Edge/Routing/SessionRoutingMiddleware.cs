using System.Diagnostics;
using LnbitsMcp.Edge.Telemetry;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;

namespace LnbitsMcp.Edge.Routing;

/// <summary>
/// Proxy-pipeline step before load balancing: a request of a known session may only go to that
/// session's instance while the instance is healthy. When it is not, every healthy instance stays
/// available (failover: the server side continues the session from Redis) and
/// <see cref="SessionRouteLearning"/> records where the request went. The edge's request span is
/// tagged with the session hint.
/// </summary>
public static class SessionRoutingMiddleware
{
    public const string AllDestinationsItem = "LnbitsMcp.Edge.AllDestinations";

    public static async Task RouteBySessionAsync(HttpContext context, Func<Task> next)
    {
        var feature = context.GetReverseProxyFeature();
        context.Items[AllDestinationsItem] = feature.AvailableDestinations;
        var sessionKey = SessionKey.FromRequest(context.Request);
        if (sessionKey is not null)
        {
            TagSession(context, sessionKey);
            var router = context.RequestServices.GetRequiredService<SessionRouter>();
            var destinationId = await router.FindAsync(sessionKey);
            if (destinationId is not null)
            {
                if (Find(feature.AvailableDestinations, destinationId) is { } destination)
                {
                    feature.AvailableDestinations = [destination];
                }
                else
                {
                    EdgeMetrics.RouteLookups.Add(1, new KeyValuePair<string, object?>("result", "failover"));
                }
            }
        }

        await next();
    }

    /// <summary>Tags the edge's request span (and YARP's forwarding span) with the session hint.</summary>
    public static void TagSession(HttpContext context, string sessionKey)
    {
        var hint = SessionKey.Hint(sessionKey);
        context.Features.Get<IHttpActivityFeature>()?.Activity.SetTag(EdgeMetrics.SessionTag, hint);
        Activity.Current?.SetTag(EdgeMetrics.SessionTag, hint);
    }

    public static DestinationState? Find(IReadOnlyList<DestinationState> destinations, string destinationId)
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
