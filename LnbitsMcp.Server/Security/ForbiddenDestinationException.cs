namespace LnbitsMcp.Server.Security;

/// <summary>
/// An outbound request was refused by the SSRF guard before connecting. The message names the host, the
/// address (when resolved) and the reason, never the path or query; map it to <c>forbidden_destination</c>.
/// Not an <see cref="HttpRequestException"/>, so retry policies leave it alone.
/// </summary>
public sealed class ForbiddenDestinationException : Exception
{
    public ForbiddenDestinationException(string host, string? address, string reason)
        : base(address is null || address == host
            ? $"destination {host} is not allowed: {reason}"
            : $"destination {host} ({address}) is not allowed: {reason}")
    {
        Host = host;
        Address = address;
        Reason = reason;
    }

    /// <summary>The host of the refused URL (a name or an IP literal).</summary>
    public string Host { get; }

    /// <summary>The resolved address that was refused, if the refusal came from an address check.</summary>
    public string? Address { get; }

    /// <summary>Why, e.g. <c>a link-local address</c> or <c>https is required for public hosts</c>.</summary>
    public string Reason { get; }

    /// <summary>The refusal in an exception or its inner exceptions (the connect step's is wrapped by the handler), or null.</summary>
    public static ForbiddenDestinationException? FindIn(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is ForbiddenDestinationException forbidden)
            {
                return forbidden;
            }
        }

        return null;
    }
}
