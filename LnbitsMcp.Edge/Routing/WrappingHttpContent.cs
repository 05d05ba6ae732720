namespace LnbitsMcp.Edge.Routing;

/// <summary>
/// Content that stands in for another on its way through the proxy: it carries the other's headers, declares no length
/// of its own (the headers say it, if anything does), and disposes the other with itself.
/// </summary>
public abstract class WrappingHttpContent : HttpContent
{
    protected WrappingHttpContent(HttpContent inner)
    {
        Inner = inner;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected HttpContent Inner { get; }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
