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
    ];

    public static TheoryData<Exception> Faults() =>
    [
        new RedisCommandException("Multi-key operations must involve a single slot; keys can use 'hash tags' to help this"),
        new RedisCommandException("This operation has been disabled in the command-map and cannot be used: EVAL"),
        new InvalidOperationException("Command cannot be issued to a replica: EVALSHA"),
    ];

    [Theory]
    [MemberData(nameof(Unavailable))]
    public void RedisThatCannotAnswerNowIsAFailureOfRedis(Exception exception) => Assert.True(RedisFailure.Is(exception));

    [Theory]
    [MemberData(nameof(Faults))]
    public void ACommandThatCanNeverRunAndOtherExceptionsStayFaults(Exception exception) => Assert.False(RedisFailure.Is(exception));
}
