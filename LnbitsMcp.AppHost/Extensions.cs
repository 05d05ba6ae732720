using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace LnbitsMcp.AppHost;

/// <summary>The longer wiring of the resource graph (STYLE.md: AppHost/Extensions.cs).</summary>
public static class Extensions
{
    public const string ServerReplicasParameter = "server-replicas";
    public const int DefaultServerReplicas = 2;
    public const string ServerClusterId = "servers";

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
            .WithHttpHealthCheck("/health");

    /// <summary>Every server instance becomes a YARP destination of the edge, and the edge waits for them.</summary>
    public static IResourceBuilder<ProjectResource> WithServerDestinations(
        this IResourceBuilder<ProjectResource> edge, IEnumerable<IResourceBuilder<ProjectResource>> servers)
    {
        foreach (var server in servers)
        {
            edge.WithEnvironment($"ReverseProxy__Clusters__{ServerClusterId}__Destinations__{server.Resource.Name}__Address", server.GetEndpoint("http"))
                .WaitFor(server);
        }

        return edge;
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
