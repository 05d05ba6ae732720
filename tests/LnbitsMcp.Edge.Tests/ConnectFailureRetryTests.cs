using LnbitsMcp.Edge.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace LnbitsMcp.Edge.Tests;

public sealed class ConnectFailureRetryTests
{
    [Theory]
    [InlineData(ForwarderError.Request, HttpRequestError.ConnectionError, true)]
    [InlineData(ForwarderError.Request, HttpRequestError.NameResolutionError, true)] // a killed container's name leaves the network's DNS
    [InlineData(ForwarderError.Request, HttpRequestError.ResponseEnded, false)] // the request may have reached it
    [InlineData(ForwarderError.Request, HttpRequestError.Unknown, false)]
    [InlineData(ForwarderError.RequestTimedOut, HttpRequestError.ConnectionError, false)]
    [InlineData(ForwarderError.ResponseHeaders, HttpRequestError.ConnectionError, false)]
    public void OnlyRequestsThatNeverReachedTheInstanceAreSentElsewhere(ForwarderError stage, HttpRequestError cause, bool retried) =>
        Assert.Equal(retried, ConnectFailureRetry.IsConnectFailure(new Failure(stage, new HttpRequestException(cause, "failed"))));

    private sealed record Failure(ForwarderError Error, Exception? Exception) : IForwarderErrorFeature;
}
