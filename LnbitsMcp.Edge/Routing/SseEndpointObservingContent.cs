using System.Net;
using System.Text;

namespace LnbitsMcp.Edge.Routing;

/// <summary>
/// Wraps a legacy SSE response: passes every byte through unchanged and unbuffered, and reports the
/// <c>sessionId</c> of the first <c>endpoint</c> event before that event's bytes are handed on.
/// </summary>
public sealed class SseEndpointObservingContent(HttpContent inner, Func<string, ValueTask> onSessionId) : WrappingHttpContent(inner)
{
    private const int MaxObservedBytes = 4096;

    protected override async Task<Stream> CreateContentReadStreamAsync() =>
        new ObservingStream(await Inner.ReadAsStreamAsync().ConfigureAwait(false), onSessionId);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new ObservingStream(await Inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), onSessionId);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await using var source = await CreateContentReadStreamAsync().ConfigureAwait(false);
        await source.CopyToAsync(stream).ConfigureAwait(false);
    }

    /// <summary>Extracts the session id from the text seen so far, once an endpoint event is complete.</summary>
    public static string? FindSessionId(string text)
    {
        var eventStart = text.IndexOf("event: endpoint", StringComparison.Ordinal);
        if (eventStart < 0)
        {
            return null;
        }

        var dataStart = text.IndexOf("data:", eventStart, StringComparison.Ordinal);
        var lineEnd = dataStart < 0 ? -1 : text.IndexOf('\n', dataStart);
        if (lineEnd < 0)
        {
            return null;
        }

        var data = text[(dataStart + 5)..lineEnd].Trim();
        var marker = data.IndexOf("sessionId=", StringComparison.Ordinal);
        if (marker < 0)
        {
            return null;
        }

        var value = data[(marker + "sessionId=".Length)..];
        var end = value.IndexOfAny(['&', '#']);
        return Uri.UnescapeDataString(end < 0 ? value : value[..end]);
    }

    private sealed class ObservingStream(Stream inner, Func<string, ValueTask> onSessionId) : Stream
    {
        private readonly StringBuilder _seen = new();
        private bool _done;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (Observe(buffer.Span[..read]) is { } sessionId)
            {
                // Recorded before these bytes are handed on: the client cannot POST ahead of its route.
                await onSessionId(sessionId).ConfigureAwait(false);
            }

            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private string? Observe(ReadOnlySpan<byte> bytes)
        {
            if (_done || bytes.IsEmpty)
            {
                return null;
            }

            _seen.Append(Encoding.UTF8.GetString(bytes));
            var sessionId = FindSessionId(_seen.ToString());
            if (sessionId is not null || _seen.Length > MaxObservedBytes)
            {
                _done = true;
                _seen.Clear();
            }

            return sessionId;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
