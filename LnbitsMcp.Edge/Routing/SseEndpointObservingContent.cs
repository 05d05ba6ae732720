using System.Net;
using System.Text;

namespace LnbitsMcp.Edge.Routing;

/// <summary>
/// Wraps a legacy SSE response: passes every byte through unchanged and unbuffered, and reports the
/// <c>sessionId</c> of the first <c>endpoint</c> event before that event's bytes are handed on.
/// </summary>
public sealed class SseEndpointObservingContent : HttpContent
{
    private const int MaxObservedBytes = 4096;
    private readonly HttpContent _inner;
    private readonly Action<string> _onSessionId;

    public SseEndpointObservingContent(HttpContent inner, Action<string> onSessionId)
    {
        _inner = inner;
        _onSessionId = onSessionId;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override async Task<Stream> CreateContentReadStreamAsync() =>
        new ObservingStream(await _inner.ReadAsStreamAsync().ConfigureAwait(false), _onSessionId);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new ObservingStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _onSessionId);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await using var source = await CreateContentReadStreamAsync().ConfigureAwait(false);
        await source.CopyToAsync(stream).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
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

    private sealed class ObservingStream(Stream inner, Action<string> onSessionId) : Stream
    {
        private readonly StringBuilder _seen = new();
        private bool _done;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Observe(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            return Observe(buffer.Span[..read]);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Observe(ReadOnlySpan<byte> bytes)
        {
            if (_done || bytes.IsEmpty)
            {
                return bytes.Length;
            }

            _seen.Append(Encoding.UTF8.GetString(bytes));
            if (FindSessionId(_seen.ToString()) is { } sessionId)
            {
                _done = true;
                _seen.Clear();
                onSessionId(sessionId);
            }
            else if (_seen.Length > MaxObservedBytes)
            {
                _done = true;
                _seen.Clear();
            }

            return bytes.Length;
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
