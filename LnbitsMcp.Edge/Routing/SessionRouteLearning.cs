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
    public static async ValueTask LearnAsync(ResponseTransformContext context)
    {
        var http = context.HttpContext;
        var destinationId = http.GetReverseProxyFeature().ProxiedDestination?.DestinationId;
        var response = context.ProxyResponse;
        if (destinationId is null || response is null)
        {
            return;
        }

        var router = http.RequestServices.GetRequiredService<SessionRouter>();
        if (response.Headers.NonValidated.TryGetValues(SessionKey.McpSessionIdHeader, out var ids) && ids.ToString() is { Length: > 0 } id)
        {
            // The answer of a session's request repeats its id: the request's key (hashed, tagged) serves.
            var repeated = string.Equals(id, http.Request.Headers[SessionKey.McpSessionIdHeader].ToString(), StringComparison.Ordinal);
            var sessionKey = repeated ? SessionKey.FromRequest(http.Request)! : SessionKey.Hash(id);
            if (!repeated)
            {
                SessionRoutingMiddleware.TagSession(http, sessionKey);
            }

            await router.RecordAsync(sessionKey, destinationId);
        }
        else if (SessionKey.FromRequest(http.Request) is { } sessionKey)
        {
            if (HttpMethods.IsDelete(http.Request.Method) && response.IsSuccessStatusCode)
            {
                await router.ForgetAsync(sessionKey);
            }
            else if (response.IsSuccessStatusCode)
            {
                // A failed-over request that the new instance accepted: keep routing there.
                await router.RecordAsync(sessionKey, destinationId);
            }
        }

        if (HttpMethods.IsGet(http.Request.Method) && IsEventStream(response.Content.Headers.ContentType)
            && http.Request.Path.Value?.EndsWith("/sse", StringComparison.Ordinal) == true)
        {
            response.Content = new SseEndpointObservingContent(response.Content, async sessionId =>
            {
                var key = SessionKey.Hash(sessionId);
                SessionRoutingMiddleware.TagSession(http, key);
                await router.RecordAsync(key, destinationId);
            });
        }
    }

    private static bool IsEventStream(MediaTypeHeaderValue? contentType) =>
        string.Equals(contentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
}
