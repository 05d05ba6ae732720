namespace LnbitsMcp.Server.Sessions;

/// <summary>What the configured wallet key may do: an invoice key makes the session read-only.</summary>
public enum KeyType
{
    Unknown,
    Invoice,
    Admin,
}

public static class KeyTypes
{
    public static string ToWire(this KeyType keyType) => keyType switch
    {
        KeyType.Admin => "admin",
        KeyType.Invoice => "invoice",
        _ => "unknown",
    };
}
