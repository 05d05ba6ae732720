namespace LnbitsMcp.Server.Security;

/// <summary>
/// A response body was larger than <see cref="SsrfGuardOptions.MaxResponseBytes"/> (by its Content-Length or
/// while reading it). Not an <see cref="HttpRequestException"/>, so retry policies leave it alone.
/// </summary>
public sealed class ResponseTooLargeException : Exception
{
    public ResponseTooLargeException(string host, long maxBytes)
        : base($"the response from {host} is larger than {maxBytes} bytes")
    {
        Host = host;
        MaxBytes = maxBytes;
    }

    public ResponseTooLargeException()
        : this("(unknown)", 0)
    {
    }

    public ResponseTooLargeException(string message)
        : base(message)
    {
        Host = "(unknown)";
    }

    public ResponseTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
        Host = "(unknown)";
    }

    public string Host { get; }

    public long MaxBytes { get; }
}
