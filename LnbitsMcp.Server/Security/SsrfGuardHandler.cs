using System.Buffers;
using System.Net;
using System.Runtime.ExceptionServices;

namespace LnbitsMcp.Server.Security;

/// <summary>
/// Checks every request URL with <see cref="OutboundUrlPolicy"/>, follows up to
/// <see cref="SsrfGuardOptions.MaxRedirects"/> redirects itself (each target checked again; credentials
/// dropped when the origin changes, or — for clients that carry credentials the redirect target must never
/// get, like LNbits' — cross-origin redirects refused with <see cref="CrossOriginRedirectException"/>; after the limit the redirect response is returned as is), and buffers
/// the final response body up to <see cref="SsrfGuardOptions.MaxResponseBytes"/>
/// (<see cref="ResponseTooLargeException"/> beyond). Refusals from the connect step surface as
/// <see cref="ForbiddenDestinationException"/>, not wrapped in <see cref="HttpRequestException"/>.
/// Use over <see cref="SsrfGuard.CreatePrimaryHandler"/> (automatic redirects off).
/// </summary>
public sealed class SsrfGuardHandler(SsrfGuardOptions options, bool refuseCrossOriginRedirects = false) : DelegatingHandler
{
    private static readonly string[] CredentialHeaders = ["Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key"];

    private readonly OutboundUrlPolicy _policy = new(options);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = request;
        for (var redirects = 0; ; redirects++)
        {
            _policy.EnsureAllowed(current.RequestUri);
            if (current.Version.Major >= 3)
            {
                // HTTP/3 runs over QUIC, which bypasses the guarded ConnectCallback.
                current.Version = HttpVersion.Version20;
                current.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
            }

            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(current, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (ForbiddenDestinationException.FindIn(ex) is { } forbidden)
            {
                ExceptionDispatchInfo.Capture(forbidden).Throw();
                throw;
            }

            var location = response.Headers.Location;
            if (!IsRedirect(response.StatusCode) || location is null || redirects >= options.MaxRedirects)
            {
                return await LimitBodyAsync(response, cancellationToken).ConfigureAwait(false);
            }

            var target = location.IsAbsoluteUri ? location : new Uri(current.RequestUri!, location);
            if (refuseCrossOriginRedirects && !SameOrigin(current.RequestUri!, target))
            {
                response.Dispose();
                throw new CrossOriginRedirectException(current.RequestUri!, target);
            }

            var next = RedirectRequest(current, target, response.StatusCode);
            response.Dispose();
            current = next;
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently
        or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect
        or HttpStatusCode.PermanentRedirect or HttpStatusCode.MultipleChoices;

    private static HttpRequestMessage RedirectRequest(HttpRequestMessage previous, Uri target, HttpStatusCode status)
    {
        var keepMethod = status is HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect
            || previous.Method == HttpMethod.Get
            || previous.Method == HttpMethod.Head
            || (status != HttpStatusCode.SeeOther && previous.Method != HttpMethod.Post);
        var next = new HttpRequestMessage(keepMethod ? previous.Method : HttpMethod.Get, target)
        {
            Version = previous.Version,
            VersionPolicy = previous.VersionPolicy,
            Content = keepMethod ? previous.Content : null,
        };

        var sameOrigin = SameOrigin(previous.RequestUri!, target);
        foreach (var header in previous.Headers)
        {
            if (header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)
                || (!sameOrigin && CredentialHeaders.Contains(header.Key, StringComparer.OrdinalIgnoreCase)))
            {
                continue;
            }

            next.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return next;
    }

    private static bool SameOrigin(Uri from, Uri to) =>
        Uri.Compare(from, to, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private async Task<HttpResponseMessage> LimitBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var max = options.MaxResponseBytes;
        var host = response.RequestMessage?.RequestUri?.IdnHost ?? "(unknown)";
        if (response.Content.Headers.ContentLength > max)
        {
            response.Dispose();
            throw new ResponseTooLargeException(host, max);
        }

        using var body = new MemoryStream((int)Math.Min(response.Content.Headers.ContentLength ?? 0, max));
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (body.Length + read > max)
                    {
                        response.Dispose();
                        throw new ResponseTooLargeException(host, max);
                    }

                    body.Write(buffer, 0, read);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var limited = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
        foreach (var header in response.Content.Headers)
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                limited.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        response.Content.Dispose();
        response.Content = limited;
        return response;
    }
}
