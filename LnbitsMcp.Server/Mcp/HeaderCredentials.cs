using Microsoft.AspNetCore.Http;
using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Mcp;

/// <summary>Per-request LNbits credentials from headers (CONTRACT §4 step 3): used for one request, never stored.</summary>
public static class HeaderCredentials
{
    public static LnbitsSettings? Read(IHeaderDictionary headers)
    {
        var url = headers[ToolCallFilter.LnbitsUrlHeader].ToString();
        var key = headers[ToolCallFilter.LnbitsApiKeyHeader].ToString();
        if (string.IsNullOrWhiteSpace(url) && string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            throw ToolException.InvalidArgument($"The {ToolCallFilter.LnbitsUrlHeader} header must be an absolute http(s) URL.");
        }

        if (string.IsNullOrWhiteSpace(key))
        {
            throw ToolException.InvalidArgument($"The {ToolCallFilter.LnbitsApiKeyHeader} header is required with {ToolCallFilter.LnbitsUrlHeader}.");
        }

        if (!LnbitsAuthMethods.TryParse(headers[ToolCallFilter.LnbitsAuthMethodHeader].ToString(), out var method)
            || method is not (LnbitsAuthMethod.ApiKeyHeader or LnbitsAuthMethod.ApiKeyQuery or LnbitsAuthMethod.Bearer))
        {
            throw ToolException.InvalidArgument($"The {ToolCallFilter.LnbitsAuthMethodHeader} header must be api_key_header, api_key_query or bearer.");
        }

        var secret = new Secret(key.Trim());
        return method == LnbitsAuthMethod.Bearer
            ? new LnbitsSettings { BaseUrl = baseUrl, AuthMethod = method, BearerToken = secret }
            : new LnbitsSettings { BaseUrl = baseUrl, AuthMethod = method, ApiKey = secret };
    }
}
