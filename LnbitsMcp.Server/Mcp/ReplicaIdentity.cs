namespace LnbitsMcp.Server.Mcp;

/// <summary>The name of this server instance (the AppHost's resource name, e.g. <c>server0</c>).</summary>
public sealed class ReplicaIdentity(IConfiguration configuration)
{
    public string Name { get; } = configuration["Server:ReplicaName"] is { Length: > 0 } name ? name : Environment.MachineName;
}
