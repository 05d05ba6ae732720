using System.Text;
using LnbitsMcp.Server.Mcp;
using Microsoft.Extensions.Time.Testing;

namespace LnbitsMcp.Server.Tests.Transport;

/// <summary>
/// The first write of a POST's response (the priming event) waits for the next one, so a quick answer
/// leaves with it in one write; when the hold ends first, or the request ends, it is sent (and flushed) alone.
/// </summary>
public sealed class PrimingEventHoldTests
{
    private static readonly TimeSpan s_hold = TimeSpan.FromMilliseconds(100);
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingStream _inner = new();

    private PrimingEventHold Hold() => new(_inner, s_hold, _time);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task AnAnswerWrittenWithinTheHoldLeavesWithThePrimingEventInOneWrite()
    {
        var body = Hold();
        await body.WriteAsync(Bytes("id: 1\nretry: 1000\ndata: \n\n"));
        await body.FlushAsync();
        Assert.Empty(_inner.Writes);
        Assert.Equal(0, _inner.Flushes);

        _time.Advance(s_hold / 2);
        await body.WriteAsync(Bytes("event: message\ndata: {\"id\":2}\n\n"));
        await body.FlushAsync();

        var write = Assert.Single(_inner.Writes);
        Assert.Equal("id: 1\nretry: 1000\ndata: \n\nevent: message\ndata: {\"id\":2}\n\n", write);
        Assert.Equal(1, _inner.Flushes);

        _time.Advance(s_hold); // the timer was stopped: nothing more is written
        await body.ReleaseAsync();
        Assert.Single(_inner.Writes);
    }

    [Fact]
    public async Task TheObserverSeesEveryWriteHeldOrNot()
    {
        var observer = new RecordingObserver();
        var body = new PrimingEventHold(_inner, s_hold, _time, observer);
        await body.WriteAsync(Bytes("id: 1\ndata: \n\n"));
        Assert.Equal(["id: 1\ndata: \n\n"], observer.Frames); // held, and seen
        Assert.Empty(_inner.Writes);

        await body.WriteAsync(Bytes("event: message\ndata: {}\nid: 2\n\n"));
        await body.WriteAsync(Bytes("event: message\ndata: {}\nid: 3\n\n"));

        Assert.Equal(["id: 1\ndata: \n\n", "event: message\ndata: {}\nid: 2\n\n", "event: message\ndata: {}\nid: 3\n\n"], observer.Frames);
        Assert.Equal(2, _inner.Writes.Count);
    }

    private sealed class RecordingObserver : ISentEventObserver
    {
        public List<string> Frames { get; } = [];

        public void Sent(ReadOnlySpan<byte> frame) => Frames.Add(Encoding.UTF8.GetString(frame));
    }

    [Fact]
    public async Task WhenTheHoldEndsFirstThePrimingEventIsSentAndFlushedAloneAndLaterWritesPassThrough()
    {
        var body = Hold();
        await body.WriteAsync(Bytes("id: 1\ndata: \n\n"));
        await body.FlushAsync();

        _time.Advance(s_hold);
        await _inner.WaitForWritesAsync(1);
        Assert.Equal(["id: 1\ndata: \n\n"], _inner.Writes);
        Assert.Equal(1, _inner.Flushes);

        await body.WriteAsync(Bytes("data: answer\n\n"));
        await body.FlushAsync();
        Assert.Equal(["id: 1\ndata: \n\n", "data: answer\n\n"], _inner.Writes);
        Assert.Equal(2, _inner.Flushes);
    }

    [Fact]
    public async Task TheEndOfTheRequestSendsWhatIsStillHeld()
    {
        var body = Hold();
        await body.WriteAsync(Bytes("{\"jsonrpc\":\"2.0\"}"));

        await body.ReleaseAsync();

        Assert.Equal(["{\"jsonrpc\":\"2.0\"}"], _inner.Writes);
        Assert.Equal(1, _inner.Flushes);
        _time.Advance(s_hold);
        await body.ReleaseAsync();
        Assert.Single(_inner.Writes);
    }

    [Fact]
    public async Task DiscardedBytesAreNeverSentAndTheErrorWrittenInsteadIs()
    {
        var body = Hold();
        await body.WriteAsync(Bytes("id: 1\ndata: \n\n"));

        body.DiscardHeld();
        await body.WriteAsync(Bytes("{\"error\":{}}"));
        await body.ReleaseAsync();

        Assert.Equal(["{\"error\":{}}"], _inner.Writes);
    }

    [Fact]
    public async Task AClientGoneBeforeTheReleaseDoesNotFailTheRequest()
    {
        _inner.FailWith = new IOException("connection reset");
        var body = Hold();
        await body.WriteAsync(Bytes("id: 1\ndata: \n\n"));

        await body.ReleaseAsync(); // does not throw

        Assert.Empty(_inner.Writes);
    }

    /// <summary>A response body that records each write (as text) and counts flushes.</summary>
    private sealed class RecordingStream : MemoryStream
    {
        private readonly List<string> _writes = [];

        public IReadOnlyList<string> Writes { get { lock (_writes) { return [.. _writes]; } } }

        public int Flushes { get; private set; }

        public Exception? FailWith { get; set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (FailWith is not null)
            {
                throw FailWith;
            }

            lock (_writes)
            {
                _writes.Add(Encoding.UTF8.GetString(buffer.Span));
            }

            return ValueTask.CompletedTask;
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return Task.CompletedTask;
        }

        public async Task WaitForWritesAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (Writes.Count < count || Flushes < count)
            {
                await Task.Delay(10, timeout.Token);
            }
        }
    }
}
