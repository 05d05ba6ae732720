namespace LnbitsMcp.AppHost.Redis;

/// <summary>How the AppHost provides the <c>redis</c> resource (configuration key <c>Redis:Mode</c>).</summary>
public enum RedisMode
{
    /// <summary>Container when a container runtime answers, else redis-server on PATH, else embedded.</summary>
    Auto,

    /// <summary><c>AddRedis</c>: a Redis container with a data volume (the default in publish mode).</summary>
    Container,

    /// <summary>A local <c>redis-server</c> process on an orchestrator-allocated port.</summary>
    RedisServer,

    /// <summary>A Redis-compatible Garnet server inside the AppHost process (needs only the .NET SDK).</summary>
    Embedded,

    /// <summary>
    /// A Redis the operator runs (a managed Redis, a Redis Cluster): the connection string
    /// <c>ConnectionStrings:redis</c>, in publish mode a secret parameter. Chosen by
    /// <c>Redis:Mode=external</c>, or in auto mode when <c>ConnectionStrings:redis</c> is set.
    /// </summary>
    External,
}
