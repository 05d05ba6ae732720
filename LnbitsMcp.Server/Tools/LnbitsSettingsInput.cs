using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Tools;

/// <summary>Turns <c>configure_lnbits</c> arguments into settings, or a clear <c>invalid_argument</c>.</summary>
public static class LnbitsSettingsInput
{
    private const int MaxCredentialLength = 4096;

    public static LnbitsSettings Build(string? lnbitsUrl, string? apiKey, string? authMethod, string? bearerToken,
        string? username, string? password, string? walletId, int? timeoutSeconds, OperatorLnbits operatorLnbits)
    {
        var url = ParseUrl(lnbitsUrl, operatorLnbits.DefaultUrl);
        if (!LnbitsAuthMethods.TryParse(authMethod, out var method))
        {
            throw ToolException.InvalidArgument("auth_method must be one of api_key_header, api_key_query, bearer, oauth2.");
        }

        var settings = new LnbitsSettings
        {
            BaseUrl = url,
            AuthMethod = method,
            TimeoutSeconds = timeoutSeconds ?? operatorLnbits.DefaultTimeoutSeconds,
            WalletId = Clean(walletId, "wallet_id"),
        };
        return method switch
        {
            LnbitsAuthMethod.ApiKeyHeader or LnbitsAuthMethod.ApiKeyQuery => settings with
            {
                ApiKey = Required(apiKey, "api_key", $"auth_method {method.ToWire()} needs api_key (the wallet's admin or invoice key)."),
            },
            LnbitsAuthMethod.Bearer => settings with
            {
                BearerToken = Required(bearerToken, "bearer_token", "auth_method bearer needs bearer_token (an LNbits user access token)."),
            },
            _ => settings with
            {
                Username = Clean(username, "username") ?? throw ToolException.InvalidArgument("auth_method oauth2 needs username and password."),
                Password = Required(password, "password", "auth_method oauth2 needs username and password."),
            },
        };
    }

    private static Uri ParseUrl(string? text, Uri? defaultUrl)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultUrl ?? throw ToolException.InvalidArgument("lnbits_url is required, e.g. https://your-lnbits.example (no operator default is set).");
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || string.IsNullOrEmpty(url.Host))
        {
            throw ToolException.InvalidArgument("lnbits_url must be an absolute http(s) URL, e.g. https://your-lnbits.example.");
        }

        if (!string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            throw ToolException.InvalidArgument("lnbits_url must not contain credentials, a query or a fragment; pass the key as api_key.");
        }

        return url;
    }

    private static Secret Required(string? value, string name, string message) =>
        Secret.FromOptional(Clean(value, name)) ?? throw ToolException.InvalidArgument(message);

    private static string? Clean(string? value, string name)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed.Length > MaxCredentialLength || trimmed.Any(char.IsControl))
        {
            throw ToolException.InvalidArgument($"{name} is not a plausible value (too long or contains control characters).");
        }

        return trimmed;
    }
}
