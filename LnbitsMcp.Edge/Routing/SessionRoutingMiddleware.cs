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

    /// <summary>Completes without an extra state machine when the route is in memory (every request of a live session).</summary>
    public static Task RouteBySessionAsync(HttpContext context, Func<Task> next)
    {
        var feature = context.GetReverseProxyFeature();
        context.Items[AllDestinationsItem] = feature.AvailableDestinations;
        var sessionKey = SessionKey.FromRequest(context.Request);
        if (sessionKey is null)
        {
            return next();
        }

        TagSession(context, sessionKey);
        var lookup = context.RequestServices.GetRequiredService<SessionRouter>().FindAsync(sessionKey);
        if (!lookup.IsCompletedSuccessfully)
        {
            return RouteWhenFoundAsync(feature, lookup, next);
        }

        Route(feature, lookup.Result);
        return next();
    }

    private static async Task RouteWhenFoundAsync(IReverseProxyFeature feature, ValueTask<string?> lookup, Func<Task> next)
    {
        Route(feature, await lookup);
        await next();
    }

    private static void Route(IReverseProxyFeature feature, string? destinationId)
    {
        if (destinationId is null)
        {
            return;
        }

        if (Find(feature.AvailableDestinations, destinationId) is { } destination)
        {
            feature.AvailableDestinations = [destination];
        }
        else
        {
            EdgeMetrics.RouteLookups.Add(1, new KeyValuePair<string, object?>("result", "failover"));
        }
    }

    /// <summary>Tags the edge's request span (and the current span, when another one) with the session hint.</summary>
    public static void TagSession(HttpContext context, string sessionKey)
    {
        var request = context.Features.Get<IHttpActivityFeature>()?.Activity;
        var current = Activity.Current;
        if (request is not { IsAllDataRequested: true } && current is not { IsAllDataRequested: true })
        {
            return;
        }

        var hint = SessionKey.Hint(sessionKey);
        request?.SetTag(EdgeMetrics.SessionTag, hint);
        if (current is not null && current != request)
        {
            current.SetTag(EdgeMetrics.SessionTag, hint);
        }
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
