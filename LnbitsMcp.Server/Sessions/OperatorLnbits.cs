using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// The operator's LNbits defaults from the environment (CONTRACT §4): <c>LNBITS_URL</c>,
/// <c>LNBITS_API_KEY</c>, <c>LNBITS_AUTH_METHOD</c>, <c>LNBITS_TIMEOUT</c>. In multi-user mode only
/// the URL is used, as the default of <c>configure_lnbits</c>; <c>--single-user</c> hands all of
/// them to every caller.
/// </summary>
public sealed class OperatorLnbits
{
    public const string SingleUserKey = "Server:SingleUser";
    public const int FallbackTimeoutSeconds = 30;

    public OperatorLnbits(IConfiguration configuration)
    {
        SingleUser = configuration.GetValue(SingleUserKey, false);
        DefaultTimeoutSeconds = int.TryParse(configuration["LNBITS_TIMEOUT"], out var timeout) && timeout is > 0 and <= 300
            ? timeout
            : FallbackTimeoutSeconds;
        DefaultUrl = Uri.TryCreate(configuration["LNBITS_URL"], UriKind.Absolute, out var url) ? url : null;
        if (SingleUser && DefaultUrl is not null && configuration["LNBITS_API_KEY"] is { Length: > 0 } key)
        {
            var method = LnbitsAuthMethods.TryParse(configuration["LNBITS_AUTH_METHOD"], out var parsed) ? parsed : LnbitsAuthMethod.ApiKeyHeader;
            var secret = new Secret(key);
            SingleUserSettings = new LnbitsSettings
            {
                BaseUrl = DefaultUrl,
                AuthMethod = method,
                ApiKey = method == LnbitsAuthMethod.Bearer ? null : secret,
                BearerToken = method == LnbitsAuthMethod.Bearer ? secret : null,
                TimeoutSeconds = DefaultTimeoutSeconds,
            };
        }
    }

    public bool SingleUser { get; }

    public Uri? DefaultUrl { get; }

    public int DefaultTimeoutSeconds { get; }

    /// <summary>The operator's wallet, handed to callers only in single-user mode.</summary>
    public LnbitsSettings? SingleUserSettings { get; }
}
