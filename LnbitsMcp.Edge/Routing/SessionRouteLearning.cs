using System.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;

namespace LnbitsMcp.Edge.Routing;

/// <summary>
/// Learns session → instance routes from the handshake: the <c>Mcp-Session-Id</c> header of a
/// Streamable HTTP response, and the <c>sessionId</c> in the legacy SSE <c>endpoint</c> event, read
/// from the stream before its bytes reach the client (so the client cannot race the route).
/// </summary>
public static class SessionRouteLearning
{
    public const string SessionKeyItem = "LnbitsMcp.Edge.SessionKey";

    public static ValueTask LearnAsync(ResponseTransformContext context)
    {
        var http = context.HttpContext;
        var destinationId = http.GetReverseProxyFeature().ProxiedDestination?.DestinationId;
        var response = context.ProxyResponse;
        if (destinationId is null || response is null)
        {
            return ValueTask.CompletedTask;
        }

        var table = http.RequestServices.GetRequiredService<SessionRouteTable>();
        if (response.Headers.TryGetValues(SessionKey.McpSessionIdHeader, out var ids) && ids.FirstOrDefault() is { Length: > 0 } id)
        {
            table.Record(SessionKey.Hash(id), destinationId);
        }
        else if (http.Items[SessionKeyItem] is string sessionKey)
        {
            if (HttpMethods.IsDelete(http.Request.Method) && response.IsSuccessStatusCode)
            {
                table.Forget(sessionKey);
            }
            else if (response.IsSuccessStatusCode)
            {
                // A failed-over request that the new instance accepted: keep routing there.
                table.Record(sessionKey, destinationId);
            }
        }

        if (HttpMethods.IsGet(http.Request.Method) && IsEventStream(response.Content.Headers.ContentType)
            && http.Request.Path.Value?.EndsWith("/sse", StringComparison.Ordinal) == true)
        {
            response.Content = new SseEndpointObservingContent(response.Content,
                sessionId => table.Record(SessionKey.Hash(sessionId), destinationId));
        }

        return ValueTask.CompletedTask;
    }

    private static bool IsEventStream(MediaTypeHeaderValue? contentType) =>
        string.Equals(contentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
}
