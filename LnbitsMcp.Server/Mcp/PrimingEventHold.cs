using System.Buffers;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// The response body of a Streamable HTTP POST, holding its first write — the SSE priming event the SDK
/// writes and flushes before the request is even dispatched — for up to <see cref="DefaultHold"/>. A call
/// answered within that time leaves with its priming event in one write: one chunk, one send, one read and
/// one forward at the edge instead of two of each (what made a quick call through the edge cost twice the
/// YARP reference's kernel time). A slower call gets its priming event (and the response headers) when the
/// hold ends, so a client still learns the event id to resume from long before a slow answer; the SDK's own
/// deferred header flush waits 250 ms for the same reason.
/// </summary>
/// <remarks>
/// Writes and flushes are serialised by a gate (the timer's release runs beside the SDK's writes). Held
/// bytes are released by the next write (together with it), by the timer, or by <see cref="ReleaseAsync"/>
/// when the request ends; <see cref="DiscardHeld"/> drops them when the response is replaced by an error
/// before anything was sent. Synchronous writes are not supported (Kestrel refuses them too).
/// </remarks>
public sealed class PrimingEventHold : Stream
{
    /// <summary>How long the priming event may wait for the answer before it is sent alone.</summary>
    public static readonly TimeSpan DefaultHold = TimeSpan.FromMilliseconds(100);

    private readonly Stream inner;
    private readonly ISentEventObserver? observer;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly ITimer timer;
    private byte[]? held; // the first write while held; null before it and once released
    private bool released;

    /// <param name="observer">Shown each write before it is held or sent (the event store keeps a quick answer's bytes from there).</param>
    public PrimingEventHold(Stream inner, TimeSpan hold, TimeProvider time, ISentEventObserver? observer = null)
    {
        this.inner = inner;
        this.observer = observer;
        timer = time.CreateTimer(static state => _ = ((PrimingEventHold)state!).ReleaseAsync(), this, hold, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Wraps the response body of <paramref name="context"/>; the caller restores it and calls <see cref="ReleaseAsync"/> when done.</summary>
    public static PrimingEventHold Install(HttpContext context, TimeSpan hold, TimeProvider time, ISentEventObserver? observer = null)
    {
        var body = new PrimingEventHold(context.Response.Body, hold, time, observer);
        context.Response.Body = body;
        return body;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        observer?.Sent(buffer.Span);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (released)
            {
                await inner.WriteAsync(buffer, cancellationToken);
            }
            else if (held is null)
            {
                held = buffer.ToArray();
            }
            else
            {
                await WriteHeldWithAsync(buffer, cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (released)
            {
                await inner.FlushAsync(cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Sends what is held (and flushes it) unless it was sent already; errors of a connection gone meanwhile are ignored.</summary>
    public async Task ReleaseAsync()
    {
        timer.Dispose();
        await gate.WaitAsync();
        try
        {
            if (released)
            {
                return;
            }

            released = true;
            if (held is { } bytes)
            {
                held = null;
                await inner.WriteAsync(bytes);
                await inner.FlushAsync();
            }
        }
        catch (Exception error) when (error is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the client left; the SDK's own next write sees the same and ends the request
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Drops what is held (nothing has been sent): the response is about to be replaced by an error.</summary>
    public void DiscardHeld() => held = null;

    private async ValueTask WriteHeldWithAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        timer.Dispose();
        var length = held!.Length + buffer.Length;
        var both = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            held.CopyTo(both, 0);
            buffer.CopyTo(both.AsMemory(held.Length));
            held = null;
            released = true;
            await inner.WriteAsync(both.AsMemory(0, length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(both);
        }
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => throw new NotSupportedException("The response body is written asynchronously.");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The response body is written asynchronously.");
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            timer.Dispose(); // not the gate: a release already under way still takes it
        }

        base.Dispose(disposing);
    }
}
