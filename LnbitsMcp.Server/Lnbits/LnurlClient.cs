using System.Net;
using LnbitsMcp.Server.Lightning;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Security;
using Microsoft.Extensions.Options;

namespace LnbitsMcp.Server.Lnbits;

/// <summary>
/// The LNURL-pay flow run by the server itself (LUD-06/16): fetch the payRequest of a Lightning
/// Address, then ask its callback for an invoice. Every URL here is chosen by a user, so every
/// request goes through the SSRF-guarded client (no private addresses unless the operator allows
/// them, redirects re-checked, responses capped).
/// </summary>
public sealed class LnurlClient(IHttpClientFactory httpClients, IOptions<SsrfGuardOptions> guard)
{
    public const string HttpClientName = "lnurl";

    /// <summary>
    /// The address's well-known URL: https, or plain http only for .onion hosts and, when the
    /// operator allows private networks, for a private IP literal or localhost (the LNbits
    /// sandbox's <c>name@127.0.0.1:PORT</c>); the guard still checks where it connects.
    /// </summary>
    public Uri WellKnownUri(LightningAddress address)
    {
        var plainHttpAllowed = address.Host.EndsWith(".onion", StringComparison.OrdinalIgnoreCase)
            || (guard.Value.AllowPrivateNetworks
                && (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase)
                    || (address.IsIpLiteral && NetworkAddressRules.IsPrivateNetwork(NetworkAddressRules.Classify(IPAddress.Parse(address.Host))))));
        return address.WellKnownUri(useHttp: plainHttpAllowed);
    }

    public async Task<LnurlPayRequest> FetchPayRequestAsync(Uri url, CancellationToken cancellationToken)
    {
        var body = await GetAsync(url, "the Lightning Address service", cancellationToken);
        return LnurlPayRequest.TryParse(body, out var request, out var error)
            ? request
            : throw new ToolException(ToolErrorCodes.LnurlError, $"{url.Host} did not return a valid LNURL-pay request: {error}");
    }

    public async Task<LnurlInvoiceResponse> RequestInvoiceAsync(LnurlPayRequest payRequest, long amountMsat, string? comment, CancellationToken cancellationToken)
    {
        var callback = LnurlPayRules.BuildCallbackUri(payRequest.Callback, amountMsat, comment);
        var body = await GetAsync(callback, "the LNURL callback", cancellationToken);
        return LnurlInvoiceResponse.TryParse(body, payRequest.Callback, out var response, out var error)
            ? response
            : throw new ToolException(ToolErrorCodes.LnurlError, $"{callback.Host} did not return an invoice: {error}");
    }

    private async Task<string> GetAsync(Uri url, string what, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);
        try
        {
            using var response = await client.GetAsync(url, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode && !body.TrimStart().StartsWith('{'))
            {
                throw new ToolException(ToolErrorCodes.LnurlError, $"{what} at {url.Host} answered HTTP {(int)response.StatusCode}.");
            }

            return body;
        }
        catch (Exception ex) when (ForbiddenDestinationException.FindIn(ex) is { } forbidden)
        {
            throw new ToolException(ToolErrorCodes.ForbiddenDestination, forbidden.Message);
        }
        catch (ResponseTooLargeException tooLarge)
        {
            throw new ToolException(ToolErrorCodes.LnurlError, tooLarge.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ToolException(ToolErrorCodes.LnurlError, $"{what} at {url.Host} did not answer in time.");
        }
        catch (HttpRequestException ex)
        {
            throw new ToolException(ToolErrorCodes.LnurlError, $"{what} at {url.Host} is unreachable ({ex.HttpRequestError}).");
        }
    }
}
