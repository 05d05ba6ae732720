using System.Globalization;
using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Sessions;

/// <summary>The per-owner and per-client-address session caps, shared by every store.</summary>
public static class SessionCaps
{
    public static void Enforce(long ownerCount, long addressCount, SessionCreation request, SessionsOptions options)
    {
        if (request.Owner is not null && ownerCount >= options.MaxPerOwner)
        {
            throw new ToolException(ToolErrorCodes.LimitExceeded, string.Create(CultureInfo.InvariantCulture,
                $"This account already holds {ownerCount} live sessions (the limit is {options.MaxPerOwner}). Reuse one with session_id, or let an idle one expire."));
        }

        if (request.ClientAddress is not null && addressCount >= options.MaxPerClientAddress)
        {
            throw new ToolException(ToolErrorCodes.LimitExceeded, string.Create(CultureInfo.InvariantCulture,
                $"Too many live sessions from this client address (the limit is {options.MaxPerClientAddress}). Reuse one with session_id, or let an idle one expire."));
        }
    }
}
