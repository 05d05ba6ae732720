using System.Net.Http.Headers;
using System.Text;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Security;

namespace LnbitsMcp.Server.L402;

/// <summary>
/// Sends <c>pay_l402</c>'s requests through the SSRF-guarded client <c>l402</c>: every URL and every redirect
/// target checked (private, link-local and metadata addresses refused unless the operator allows private networks;
/// the first two never), credentials dropped on a redirect to another origin, the body capped by
/// <c>Security:MaxResponseBytes</c>. Only <c>Accept</c> and <c>Content-Type</c> are passed on from the caller.
/// </summary>
public sealed class L402HttpClient(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "l402";

    public async Task<L402Response> SendAsync(L402Request request, string? authorization, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(request.Method, request.Url);
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue("LnbitsMcp", ServerVersion.Current));
        string? contentType = null;
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else if (name.Equals("Accept", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation("Accept", value);
            }
        }

        if (request.Body is not null)
        {
            message.Content = new StringContent(request.Body, Encoding.UTF8);
            message.Content.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType ?? DefaultContentType(request.Body), out var parsed)
                ? parsed
                : throw ToolException.InvalidArgument("headers.Content-Type is not a media type.");
        }

        if (authorization is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var client = httpClients.CreateClient(HttpClientName);
        var host = request.Url.IdnHost;
        try
        {
            using var response = await client.SendAsync(message, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var challenges = response.Headers.WwwAuthenticate.Select(header => header.ToString()).ToList();
            return new L402Response((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                response.Content.Headers.ContentType?.CharSet, body, challenges, response.RequestMessage?.RequestUri ?? request.Url);
        }
        catch (Exception ex) when (ForbiddenDestinationException.FindIn(ex) is { } forbidden)
        {
            throw new ToolException(ToolErrorCodes.ForbiddenDestination, forbidden.Message + ". Nothing was sent there and nothing was paid.");
        }
        catch (ResponseTooLargeException tooLarge)
        {
            throw new ToolException(ToolErrorCodes.L402Error, tooLarge.Message + " (Security:MaxResponseBytes).");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ToolException(ToolErrorCodes.L402Error, $"{host} did not answer in time.");
        }
        catch (HttpRequestException ex)
        {
            throw new ToolException(ToolErrorCodes.L402Error, $"{host} is unreachable ({ex.HttpRequestError}).");
        }
    }

    private static string DefaultContentType(string body) =>
        body.TrimStart() is ['{', ..] or ['[', ..] ? "application/json" : "text/plain";
}
