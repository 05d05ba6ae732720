using LnbitsMcp.Edge.Routing;

namespace LnbitsMcp.Edge.Tests;

/// <summary>The watch that keeps a request whose body was read from being sent again after a refused connection.</summary>
public sealed class ReadWatchingStreamTests
{
    [Fact]
    public void AnUnreadBodyIsNotMarkedRead()
    {
        using var watched = new ReadWatchingStream(new MemoryStream([1, 2, 3]));

        Assert.False(watched.WasRead);
    }

    [Fact]
    public async Task ReadingPassesTheBytesThroughAndMarksTheBodyRead()
    {
        using var watched = new ReadWatchingStream(new MemoryStream([1, 2, 3]));
        var buffer = new byte[8];

        var read = await watched.ReadAsync(buffer.AsMemory(), TestContext.Current.CancellationToken);

        Assert.Equal(3, read);
        Assert.Equal([1, 2, 3], buffer[..read]);
        Assert.True(watched.WasRead);
    }

    [Fact]
    public async Task CopyingMarksTheBodyRead()
    {
        using var watched = new ReadWatchingStream(new MemoryStream([4, 5]));
        using var copy = new MemoryStream();

        await watched.CopyToAsync(copy, TestContext.Current.CancellationToken);

        Assert.Equal([4, 5], copy.ToArray());
        Assert.True(watched.WasRead);
    }
}
