using Yarp.ReverseProxy.Transforms;

namespace LnbitsMcp.Edge.Security;

/// <summary>
/// The proof that a request comes from this edge: <c>ForwardedHeaders:EdgeSecret</c> (the AppHost shares
/// one secret with the servers) is sent in <see cref="HeaderName"/> with every proxied request, and the
/// servers believe <c>X-Forwarded-For/-Proto/-Host</c> only on requests that carry it. A client's own
/// copy of the header is always dropped.
/// </summary>
public static class EdgeSecret
{
    public const string HeaderName = "X-LnbitsMcp-Edge-Secret";
    public const string ConfigurationKey = "ForwardedHeaders:EdgeSecret";

    public static Func<RequestTransformContext, ValueTask> AddToRequest(IConfiguration configuration)
    {
        var secret = configuration[ConfigurationKey];
        return context =>
        {
            context.ProxyRequest.Headers.Remove(HeaderName);
            if (!string.IsNullOrEmpty(secret))
            {
                context.ProxyRequest.Headers.TryAddWithoutValidation(HeaderName, secret);
            }

            return ValueTask.CompletedTask;
        };
    }
}
