using StackExchange.Redis;

namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// Redis could not answer: no connection, a node down, a cluster slot without a master
/// (<c>CLUSTERDOWN</c>), a timeout (which StackExchange.Redis reports as a <see cref="TimeoutException"/>,
/// not a <see cref="RedisException"/>), a connection that broke under a command, or a write refused because a
/// failover just made its node a replica.
/// Callers answer <c>service_unavailable</c> or go on without Redis.
/// </summary>
public static class RedisFailure
{
    public static bool Is(Exception exception) =>
        exception is RedisException or RedisTimeoutException || IsRefusedByReplica(exception) || IsUnsentCommand(exception)
        || IsBrokenConnection(exception);

    /// <summary>
    /// A node's connection broke while a command was being written to it (a master killed mid-write): StackExchange.Redis
    /// then fails that command with its socket library's own exception, not wrapped in a <see cref="RedisConnectionException"/>
    /// (its log says <c>InternalFailure (ReadSocketError/ConnectionReset) … origin: WriteMessageToServerInsideWriteLock</c>).
    /// Only StackExchange.Redis uses that library here; Kestrel's and HttpClient's resets are other types.
    /// </summary>
    private static bool IsBrokenConnection(Exception exception) =>
        exception is Pipelines.Sockets.Unofficial.ConnectionResetException or Pipelines.Sockets.Unofficial.ConnectionAbortedException;

    /// <summary>
    /// A command StackExchange.Redis could not send. With <see cref="BacklogPolicy.FailFast"/> a command that meets its
    /// node's connection down at the moment of writing (a master failing over, its slot still mapped to it) is
    /// cancelled, not failed: its task ends canceled, and awaiting it throws a <see cref="TaskCanceledException"/>
    /// that carries no token. Every cancellation our code asks for carries one (a request's, a timeout's), so a
    /// token-less one is this.
    /// </summary>
    private static bool IsUnsentCommand(Exception exception) =>
        exception is TaskCanceledException { CancellationToken.CanBeCanceled: false };

    /// <summary>
    /// After a failover, until StackExchange.Redis refreshes its map of the cluster's slots, it may still route a
    /// slot's writes to the old master, now a replica (a killed master that came back rejoins as one). It refuses
    /// to send them and throws a plain <see cref="RedisCommandException"/> ("Command cannot be issued to a
    /// replica"), which it also uses for commands that can never run (several slots in one command, a disabled
    /// command): only this message is the passing state of a failover; the others stay faults of ours.
    /// </summary>
    private static bool IsRefusedByReplica(Exception exception) =>
        exception is RedisCommandException && exception.Message.StartsWith("Command cannot be issued to a replica", StringComparison.Ordinal);
}
