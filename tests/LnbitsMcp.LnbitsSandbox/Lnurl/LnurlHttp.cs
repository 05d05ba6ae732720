using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LnbitsMcp.LnbitsSandbox.Lnurl;

/// <summary>GETs LNURL JSON with the lnurl library's failure wording.</summary>
internal sealed class LnurlHttp(IHttpClientFactory factory)
{
    public const string ClientName = "lnurl";

    public async Task<JsonNode?> GetJsonAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var client = factory.CreateClient(ClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(url, timeoutSource.Token);
        }
        catch (HttpRequestException)
        {
            throw new LnurlException($"Failed to connect to {url}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LnurlException($"Timed out connecting to {url}");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var kind = (int)response.StatusCode >= 500 ? "Server error" : "Client error";
                throw new LnurlException(
                    $"{kind} '{(int)response.StatusCode} {ReasonPhrase(response.StatusCode)}' for url '{url}'");
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            try
            {
                return JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                throw new LnurlException($"Invalid JSON response from {url}");
            }
        }
    }

    /// <summary>Appends query parameters, keeping those the URL already has.</summary>
    public static Uri WithQuery(Uri url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var query = string.Join("&", parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var builder = new UriBuilder(url)
        {
            Query = string.IsNullOrEmpty(url.Query) ? query : url.Query.TrimStart('?') + "&" + query,
        };
        return builder.Uri;
    }

    private static string ReasonPhrase(HttpStatusCode code) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase((int)code);
}
