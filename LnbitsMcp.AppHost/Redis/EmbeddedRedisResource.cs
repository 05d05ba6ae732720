namespace LnbitsMcp.AppHost.Redis;

/// <summary>The Garnet server the AppHost runs in its own process, seen by others as a connection string.</summary>
public sealed class EmbeddedRedisResource(string name, int port) : Resource(name), IResourceWithConnectionString
{
    public int Port { get; } = port;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"127.0.0.1:{Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
}
