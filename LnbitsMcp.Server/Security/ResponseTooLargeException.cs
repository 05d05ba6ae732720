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

    /// <summary>The host whose response was refused.</summary>
    public string Host { get; }

    /// <summary>The cap that was exceeded.</summary>
    public long MaxBytes { get; }
}
