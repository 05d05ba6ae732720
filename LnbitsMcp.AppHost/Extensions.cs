using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace LnbitsMcp.AppHost;

/// <summary>The longer wiring of the resource graph (STYLE.md: AppHost/Extensions.cs).</summary>
public static class Extensions
{
    public const string ServerReplicasParameter = "server-replicas";
    public const int DefaultServerReplicas = 2;
    public const string ServerClusterId = "servers";
    public const string AuthModeParameter = "auth-mode";

    /// <summary>
    /// N named server instances <c>server0…serverN-1</c>, each with its own endpoint (Port = null:
    /// otherwise every instance takes the launch profile's port and they silently share one proxy).
    /// </summary>
    public static IReadOnlyList<IResourceBuilder<ProjectResource>> AddServerInstances(
        this IDistributedApplicationBuilder builder, IResourceBuilder<IResourceWithConnectionString> redis, LnbitsTarget lnbits)
    {
        var count = builder.Configuration.GetValue($"Parameters:{ServerReplicasParameter}", DefaultServerReplicas);
        if (count is < 1 or > 32)
        {
            throw new InvalidOperationException($"Parameter {ServerReplicasParameter} must be between 1 and 32 (was {count}).");
        }

        return [.. Enumerable.Range(0, count).Select(i => builder.AddServerInstance($"server{i.ToString(CultureInfo.InvariantCulture)}", redis).WithLnbits(lnbits))];
    }

    private static IResourceBuilder<ProjectResource> AddServerInstance(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<IResourceWithConnectionString> redis) =>
        builder.AddProject<Projects.LnbitsMcp_Server>(name)
            .WithEndpoint("http", endpoint => endpoint.Port = null)
            .WithEnvironment("Server__ReplicaName", name)
            // Only the edge reaches the servers, and it has validated Host and Origin already.
            .WithEnvironment("Http__AllowedHosts__0", "*")
            .WithEnvironment("Http__AllowedOrigins__0", "*")
            .WithReference(redis).WaitFor(redis)
            .WithHealthProbes()
            .WithEdgeSecret()
            .WithCallerAuth()
            .WithEdgeHttp2Endpoint();

    /// <summary>The name of a server's HTTP/2-only (cleartext) endpoint, the one the edge forwards to when run locally.</summary>
    public const string EdgeHttp2Endpoint = "h2c";

    /// <summary>
    /// When run (not published), a second endpoint per server that speaks only HTTP/2 without TLS, for the edge: one
    /// multiplexed connection per server instead of one per request in flight (bench/PERFORMANCE.md, "What changed the cost"). Published to
    /// Azure Container Apps the edge reaches the servers through the environment's ingress over HTTP/1.1, as before.
    /// </summary>
    private static IResourceBuilder<ProjectResource> WithEdgeHttp2Endpoint(this IResourceBuilder<ProjectResource> server) =>
        server.ApplicationBuilder.ExecutionContext.IsRunMode
            ? server.WithHttpEndpoint(name: EdgeHttp2Endpoint, env: "Server__EdgeHttp2Port")
            : server;

    private static bool HasEdgeHttp2Endpoint(IResourceBuilder<ProjectResource> server) =>
        server.Resource.Annotations.OfType<EndpointAnnotation>().Any(endpoint => endpoint.Name == EdgeHttp2Endpoint);

    /// <summary>Every server instance becomes a YARP destination of the edge, and the edge waits for them.</summary>
    public static IResourceBuilder<ProjectResource> WithServerDestinations(
        this IResourceBuilder<ProjectResource> edge, IEnumerable<IResourceBuilder<ProjectResource>> servers)
    {
        if (edge.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            // Behind the platform's ingress: its public host name is not known here, and the
            // forwarded client address comes from the ingress inside the environment's network.
            edge.WithEnvironment("Http__AllowedHosts__0", "*")
                .WithEnvironment("ForwardedHeaders__TrustedNetworks__0", "10.0.0.0/8")
                .WithEnvironment("ForwardedHeaders__TrustedNetworks__1", "172.16.0.0/12")
                .WithEnvironment("ForwardedHeaders__TrustedNetworks__2", "192.168.0.0/16")
                .WithEnvironment("ForwardedHeaders__TrustedNetworks__3", "100.64.0.0/10");
        }

        edge.WithEdgeSecret();
        var http2 = servers.All(HasEdgeHttp2Endpoint); // the servers' own choice (run mode), not decided again here
        if (http2)
        {
            // Prior knowledge: HTTP/2 from the first byte, as the servers' h2c endpoints expect (no upgrade, no fallback).
            edge.WithEnvironment($"ReverseProxy__Clusters__{ServerClusterId}__HttpRequest__Version", "2")
                .WithEnvironment($"ReverseProxy__Clusters__{ServerClusterId}__HttpRequest__VersionPolicy", "RequestVersionExact");
        }

        foreach (var server in servers)
        {
            edge.WithEnvironment($"ReverseProxy__Clusters__{ServerClusterId}__Destinations__{server.Resource.Name}__Address",
                    server.GetEndpoint(http2 ? EdgeHttp2Endpoint : "http"))
                .WaitFor(server);
        }

        return edge;
    }

    /// <summary>
    /// One generated secret shared by the edge and the servers (<c>ForwardedHeaders:EdgeSecret</c>): the
    /// edge sends it with every request and the servers believe <c>X-Forwarded-For/-Proto/-Host</c> only
    /// from requests carrying it, so each caller is limited by its own address and no other local
    /// process can claim one.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithEdgeSecret(this IResourceBuilder<ProjectResource> project)
    {
        var builder = project.ApplicationBuilder;
        var secret = builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == EdgeSecretParameter) is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddParameter(EdgeSecretParameter, new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true);
        return project.WithEnvironment("ForwardedHeaders__EdgeSecret", secret);
    }

    public const string EdgeSecretParameter = "edge-secret";

    /// <summary>
    /// Readiness on /health and liveness on /alive (the service defaults map both): the dashboard's
    /// health and WaitFor use the readiness probe; publishers that know probes (Container Apps) use both.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithHealthProbes(this IResourceBuilder<ProjectResource> project)
    {
#pragma warning disable ASPIREPROBES001 // Probes are how Container Apps learns health; the API is marked experimental.
        return project
            .WithHttpProbe(ProbeType.Readiness, "/health", endpointName: "http")
            .WithHttpProbe(ProbeType.Liveness, "/alive", endpointName: "http");
#pragma warning restore ASPIREPROBES001
    }

    /// <summary>
    /// Optional caller authentication: when the parameter <c>auth-jwt-authority</c> (or
    /// <c>auth-jwt-signing-key</c>) is configured, the servers validate bearer tokens and bind
    /// sessions to their subject. The signing key is a secret parameter.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCallerAuth(this IResourceBuilder<ProjectResource> server)
    {
        var builder = server.ApplicationBuilder;
        // Auth:Mode (CONTRACT §8): parameter auth-mode, default optional when run and required when published
        // (what Claude and ChatGPT connect to).
        var mode = builder.Configuration[$"Parameters:{AuthModeParameter}"] is { Length: > 0 } configured
            ? configured
            : builder.ExecutionContext.IsPublishMode ? "required" : "optional";
        server.WithEnvironment("Auth__Mode", mode);
        foreach (var (parameter, setting, secret) in new[]
        {
            ("auth-jwt-authority", "Auth__Jwt__Authority", false),
            ("auth-jwt-audience", "Auth__Jwt__Audience", false),
            ("auth-jwt-signing-key", "Auth__Jwt__SigningKey", true),
        })
        {
            if (string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{parameter}"]))
            {
                continue;
            }

            var resource = builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == parameter) is { } existing
                ? builder.CreateResourceBuilder(existing)
                : builder.AddParameter(parameter, secret: secret);
            server.WithEnvironment(setting, resource);
        }

        return server;
    }

    /// <summary>Prints <c>MCP endpoint: &lt;edge url&gt;/mcp</c> once the edge is ready.</summary>
    public static IResourceBuilder<ProjectResource> WithMcpEndpointAnnouncement(this IResourceBuilder<ProjectResource> edge)
    {
        edge.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(edge.Resource, (_, _) =>
        {
            // Plain HTTP works with every local client; HTTPS uses a self-signed certificate unless one is configured.
            Console.WriteLine($"MCP endpoint: {edge.GetEndpoint("http").Url}/mcp");
            if (edge.Resource.GetEndpoints().FirstOrDefault(e => e.EndpointName == "https" && e.IsAllocated) is { } https)
            {
                Console.WriteLine($"MCP endpoint over TLS: {https.Url}/mcp");
            }
            return Task.CompletedTask;
        });
        return edge;
    }
}
