using System.Net;

namespace LnbitsMcp.Edge.Routing;

/// <summary>
/// A forwarded request body of known length, sent in the same write as the request's headers.
/// YARP's request content flushes the headers on their own before it copies the body (so that a server can start on a
/// streaming body early). For an MCP message, which a server reads whole, that costs one more send at the edge and one
/// more wake-up and read at the server on every request. This content hands YARP's own content a stream that ignores its
/// flushes: HttpClient buffers the headers and a small body together and flushes once, after the body is written.
/// YARP still copies the body and still sees every error of that copy, because the copy is its own content's.
/// </summary>
public sealed class OneWriteRequestContent(HttpContent forwarded) : WrappingHttpContent(forwarded)
{

    /// <summary>Only a body whose length is declared can wait for the headers' flush: a streaming one keeps YARP's.</summary>
    public static bool Suits(HttpContent? content) => content is { Headers.ContentLength: > 0 } and not OneWriteRequestContent;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        Inner.CopyToAsync(new FlushIgnoringStream(stream), context, cancellationToken);

    /// <summary>Writes through to HttpClient's request stream; leaves flushing to HttpClient.</summary>
    private sealed class FlushIgnoringStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);

        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
