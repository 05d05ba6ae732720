using Yarp.ReverseProxy.Forwarder;

namespace LnbitsMcp.Edge.Routing;

/// <summary>
/// YARP's client to the servers, with one step in front of it: a body of known length goes out in the headers' write
/// (<see cref="OneWriteRequestContent"/>).
/// </summary>
public sealed class EdgeForwarderHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger) : ForwarderHttpClientFactory(logger)
{
    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        new OneWriteHandler { InnerHandler = handler };

    private sealed class OneWriteHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (OneWriteRequestContent.Suits(request.Content))
            {
                request.Content = new OneWriteRequestContent(request.Content!);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
