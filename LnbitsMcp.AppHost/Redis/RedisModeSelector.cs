namespace LnbitsMcp.AppHost.Redis;

/// <summary>
/// Chooses the Redis mode. Publish mode is <see cref="RedisMode.Container"/> unless
/// <see cref="RedisMode.External"/> is asked for. In run mode a container is used only when a runtime
/// really runs the Redis image (<see cref="ContainerRuntimeProbe"/>): <c>AddRedis</c> without one waits forever.
/// </summary>
public sealed class RedisModeSelector(Func<bool> containerRuntimeIsHealthy, Func<string?> findRedisServer)
{
    public const string ConfigurationKey = "Redis:Mode";

    public RedisMode Choose(string? configuredMode, bool isPublishMode)
    {
        var mode = Parse(configuredMode);
        if (isPublishMode)
        {
            return mode == RedisMode.External ? RedisMode.External : RedisMode.Container;
        }

        return mode switch
        {
            RedisMode.Auto when containerRuntimeIsHealthy() => RedisMode.Container,
            RedisMode.Auto when findRedisServer() is not null => RedisMode.RedisServer,
            RedisMode.Auto => RedisMode.Embedded,
            RedisMode.Container when !containerRuntimeIsHealthy() => throw new InvalidOperationException(
                "Redis:Mode is 'container' but no container runtime can run Redis here (see the line above). " +
                "Start Docker/Podman (README: Containers), or use Redis:Mode=redis-server, embedded or auto."),
            RedisMode.RedisServer when findRedisServer() is null => throw new InvalidOperationException(
                "Redis:Mode is 'redis-server' but no redis-server is on PATH. " +
                "Install it (Debian/Ubuntu: sudo apt-get install redis-server), or use Redis:Mode=embedded or auto."),
            _ => mode,
        };
    }

    public static RedisMode Parse(string? configuredMode) => configuredMode?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => RedisMode.Auto,
        "container" => RedisMode.Container,
        "redis-server" or "redisserver" => RedisMode.RedisServer,
        "embedded" or "garnet" => RedisMode.Embedded,
        "external" => RedisMode.External,
        _ => throw new InvalidOperationException(
            $"Redis:Mode '{configuredMode}' is not one of auto, container, redis-server, embedded, external."),
    };
}
