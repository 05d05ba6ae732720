using System.Text;
using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Tests.Transport;

/// <summary>An SSE event as the SDK writes it is read for its id and its one data line; anything else is left alone.</summary>
public sealed class SentSseEventTests
{
    [Theory]
    [InlineData("event: message\ndata: {\"id\":1}\nid: abc.2\n\n", "abc.2", "{\"id\":1}")]
    [InlineData("event: message\ndata: {\"id\":1}\nid: abc.2\nretry: 1000\n\n", "abc.2", "{\"id\":1}")]
    [InlineData("data: {\"a\":\"b: c\"}\nid: x.1\n\n", "x.1", "{\"a\":\"b: c\"}")]
    [InlineData("event: message\ndata: \nid: abc.1\nretry: 5000\n\n", "abc.1", "")]
    public void AnEventWithOneDataLineAndAnIdIsRead(string frame, string expectedId, string expectedData)
    {
        Assert.True(SentSseEvent.TryRead(Encoding.UTF8.GetBytes(frame), out var id, out var data));
        Assert.Equal(expectedId, Encoding.UTF8.GetString(id));
        Assert.Equal(expectedData, Encoding.UTF8.GetString(data));
    }

    [Theory]
    [InlineData("event: message\ndata: {}\n\n")] // no id
    [InlineData("event: message\nid: a.1\n\n")] // no data
    [InlineData("data: {\"a\":\ndata: 1}\nid: a.1\n\n")] // two data lines
    [InlineData("data: {}\r\nid: a.1\r\n\r\n")] // CR line ends
    [InlineData("data: {}\nid: a.1\n")] // not ended by a blank line
    [InlineData("data: {}\nid: a.1\n\ndata: {}\nid: a.2\n\n")] // two events
    [InlineData(": comment\ndata: {}\nid: a.1\n\n")] // a comment
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}")] // a JSON answer, not an event
    [InlineData("")]
    public void AnythingElseIsNotRead(string frame)
    {
        Assert.False(SentSseEvent.TryRead(Encoding.UTF8.GetBytes(frame), out _, out _));
    }
}
