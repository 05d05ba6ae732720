using StackExchange.Redis;

namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// Redis could not answer: no connection, a node down, a cluster slot without a master
/// (<c>CLUSTERDOWN</c>), or a timeout (which StackExchange.Redis reports as a <see cref="TimeoutException"/>,
/// not a <see cref="RedisException"/>). Callers answer <c>service_unavailable</c> or go on without Redis.
/// </summary>
public static class RedisFailure
{
    public static bool Is(Exception exception) => exception is RedisException or RedisTimeoutException;
}
