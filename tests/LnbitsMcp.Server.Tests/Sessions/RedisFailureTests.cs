using System.Net.Sockets;
using LnbitsMcp.Server.Sessions;
using StackExchange.Redis;

namespace LnbitsMcp.Server.Tests.Sessions;

/// <summary>
/// Which exceptions mean "Redis cannot answer right now" (the call answers <c>service_unavailable</c>) and which stay
/// faults of ours (<c>internal_error</c>). The refusal after a failover was seen in the cluster failover test: a
/// killed master came back as a replica while the client's slot map still pointed at it.
/// </summary>
public sealed class RedisFailureTests
{
    public static TheoryData<Exception> Unavailable() =>
    [
        new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No connection is available to service this operation: EVALSHA"),
        new RedisServerException("CLUSTERDOWN The cluster is down"),
        new RedisTimeoutException("Timeout awaiting response", CommandStatus.Sent),
        new RedisCommandException("Command cannot be issued to a replica: EVALSHA"),

        // A master killed while a command was being written to it: StackExchange.Redis failed the command with its socket
        // library's exception, unwrapped (seen in the cluster failover test, logged as an internal_error of a tool).
        new Pipelines.Sockets.Unofficial.ConnectionResetException("The connection was reset", new SocketException((int)SocketError.ConnectionReset)),
        new Pipelines.Sockets.Unofficial.ConnectionAbortedException("The connection was aborted", new SocketException((int)SocketError.ConnectionAborted)),
    ];

    public static TheoryData<Exception> Faults() =>
    [
        new RedisCommandException("Multi-key operations must involve a single slot; keys can use 'hash tags' to help this"),
        new RedisCommandException("This operation has been disabled in the command-map and cannot be used: EVAL"),
        new InvalidOperationException("Command cannot be issued to a replica: EVALSHA"),

        // A reset of someone else's connection (a client's, Kestrel's; an outbound HTTP call's) is not Redis failing.
        new Microsoft.AspNetCore.Connections.ConnectionResetException("Connection reset by peer"),
        new IOException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset)),
    ];

    [Theory]
    [MemberData(nameof(Unavailable))]
    public void RedisThatCannotAnswerNowIsAFailureOfRedis(Exception exception) => Assert.True(RedisFailure.Is(exception));

    [Theory]
    [MemberData(nameof(Faults))]
    public void ACommandThatCanNeverRunAndOtherExceptionsStayFaults(Exception exception) => Assert.False(RedisFailure.Is(exception));

    /// <summary>
    /// What awaiting a command StackExchange.Redis cancelled throws (its task completed with <c>TrySetCanceled()</c>: the
    /// command met its node's connection down while writing, under the fail-fast backlog policy). Seen once in a few
    /// dozen runs of the cluster failover test, as an <c>internal_error</c> of <c>get_session_info</c>.
    /// </summary>
    [Fact]
    public async Task ACommandCancelledWithoutATokenIsAFailureOfRedis()
    {
        var command = new TaskCompletionSource<RedisResult>();
        command.TrySetCanceled();

        var thrown = await Assert.ThrowsAsync<TaskCanceledException>(() => command.Task);

        Assert.True(RedisFailure.Is(thrown));
    }

    /// <summary>A cancellation someone asked for (a request's token, a timeout of ours) is never taken for Redis.</summary>
    [Fact]
    public async Task ACancellationWithATokenStaysACancellation()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var delay = await Assert.ThrowsAsync<TaskCanceledException>(() => Task.Delay(TimeSpan.FromSeconds(5), cancelled.Token));
        var operation = Assert.Throws<OperationCanceledException>(() => cancelled.Token.ThrowIfCancellationRequested());

        Assert.False(RedisFailure.Is(delay));
        Assert.False(RedisFailure.Is(operation));
    }
}
