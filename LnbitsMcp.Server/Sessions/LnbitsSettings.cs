namespace LnbitsMcp.Server.Sessions;

/// <summary>One LNbits wallet connection: where, how to authenticate, which wallet.</summary>
public sealed record LnbitsSettings
{
    public required Uri BaseUrl { get; init; }
    public LnbitsAuthMethod AuthMethod { get; init; } = LnbitsAuthMethod.ApiKeyHeader;
    public Secret? ApiKey { get; init; }
    public Secret? BearerToken { get; init; }
    public string? Username { get; init; }
    public Secret? Password { get; init; }
    public string? WalletId { get; init; }
    public int TimeoutSeconds { get; init; } = 30;

    /// <summary>Learned when configured (admin keys see the wallet id); invoice keys are read-only.</summary>
    public KeyType KeyType { get; init; } = KeyType.Unknown;

    public string? WalletName { get; init; }

    /// <summary>
    /// Keeps this configuration's credentials registered for redaction process-wide for
    /// <paramref name="lifetime"/>: only for configurations LNbits accepted (a configured session).
    /// </summary>
    public void RegisterSecrets(TimeSpan lifetime)
    {
        Register(ApiKey, lifetime);
        Register(BearerToken, lifetime);
        Register(Password, lifetime);

        static void Register(Secret? secret, TimeSpan lifetime) => Telemetry.SecretRedactor.Register(secret?.Reveal(), lifetime);
    }

    /// <summary>
    /// What <c>get_lnbits_configuration</c> shows of the credential: an API key as <c>***</c> plus its last
    /// four characters (CONTRACT §5); a password or token only as <c>***</c> (that one is set, nothing of it).
    /// </summary>
    public string? DisplayCredential => AuthMethod switch
    {
        LnbitsAuthMethod.Bearer => BearerToken is null ? null : Telemetry.SecretRedactor.Mask,
        LnbitsAuthMethod.OAuth2 => Password is null ? null : Telemetry.SecretRedactor.Mask,
        _ => ApiKey?.Masked(),
    };
}
