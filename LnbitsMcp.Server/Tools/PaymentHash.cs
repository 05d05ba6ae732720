using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Tools;

public static class PaymentHash
{
    /// <summary>A 64-hex hash (payment hash, description hash), lowercased, or <c>invalid_argument</c>.</summary>
    public static string Parse(string? text, string argument = "payment_hash")
    {
        var hash = text?.Trim().ToLowerInvariant();
        if (hash is not { Length: 64 } || !hash.All(char.IsAsciiHexDigit))
        {
            throw ToolException.InvalidArgument($"{argument} must be 64 hexadecimal characters.");
        }

        return hash;
    }
}
