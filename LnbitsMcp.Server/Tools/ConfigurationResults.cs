using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Tools;

public sealed record ConfigureLnbitsResult(bool Configured, string LnbitsUrl, string AuthMethod, string KeyType, string WalletName) : IToolResult
{
    public string Summary() => KeyType == "invoice"
        ? $"Configured wallet '{WalletName}' with an invoice key: this session can read and create invoices but not pay."
        : $"Configured wallet '{WalletName}' ({KeyType} key).";
}

public sealed record LnbitsConfigurationResult(bool IsConfigured, string? LnbitsUrl, string? AuthMethod, string? ApiKey, int? TimeoutSeconds, string? Source) : IToolResult
{
    public string Summary() => IsConfigured ? $"LNbits at {LnbitsUrl} ({AuthMethod}, from {Source})." : "No LNbits wallet is configured.";
}

public sealed record TestConfigurationResult(bool Ok, string? WalletName, string? KeyType, long? LatencyMs, string? Error) : IToolResult
{
    public string Summary() => Ok ? $"LNbits answered for wallet '{WalletName}' in {LatencyMs} ms." : $"The configuration does not work: {Error}";
}

public sealed record CheckConnectionResult(bool Connected, string LnbitsUrl, long? LatencyMs, string? Error) : IToolResult
{
    public string Summary() => Connected ? $"{LnbitsUrl} is reachable ({LatencyMs} ms)." : $"{LnbitsUrl} is not reachable: {Error}";
}
