using System.Security.Cryptography;
using System.Text;
using LnbitsMcp.Server.Mcp;

namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// Gives a tool the session or the LNbits wallet its call resolves to (CONTRACT §4), creating and
/// binding a session to the MCP connection on first use.
/// </summary>
public sealed class SessionAccess(ToolCallContext call, ISessionStore store, OperatorLnbits operatorLnbits)
{
    public ToolCallContext Call => call;

    /// <summary>The session this call reads or changes; a connection's first use creates and binds one.</summary>
    public async Task<AppSession> RequireSessionAsync(CancellationToken cancellationToken)
    {
        ThrowIfStoreUnavailable();
        if (call.Session is { } session)
        {
            return session;
        }

        if (call.TransportSessionId is { } transport)
        {
            var created = await store.CreateAsync(new SessionCreation(call.Owner, call.ClientAddress), cancellationToken);
            await store.BindTransportAsync(transport, created.Session.Key, cancellationToken);
            call.Session = created.Session;
            call.BoundToTransport = true;
            return created.Session;
        }

        throw NoSession();
    }

    /// <summary>The wallet this call uses: the session's, else the request's headers, else (single-user) the operator's.</summary>
    public LnbitsConnection RequireLnbits() =>
        FindLnbits() ?? throw (call.Session is not null || call.TransportSessionId is not null
            ? new ToolException(ToolErrorCodes.NotConfigured,
                "This session has no LNbits wallet yet: call configure_lnbits with your LNbits URL and API key first.")
            : NoSession());

    /// <summary>The wallet this call would use, or null when none is configured.</summary>
    public LnbitsConnection? FindLnbits()
    {
        ThrowIfStoreUnavailable();
        if (call.SessionIdArgument is not null)
        {
            return call.Session?.Lnbits is { } explicitSettings
                ? new LnbitsConnection(explicitSettings, LnbitsConnection.SessionSource, call.Session, call.Session.Key)
                : null;
        }

        if (call.Session?.Lnbits is { } bound)
        {
            return new LnbitsConnection(bound, LnbitsConnection.SessionSource, call.Session, call.Session.Key);
        }

        if (call.HeaderSettings is { } headers)
        {
            return new LnbitsConnection(headers, LnbitsConnection.HeadersSource, null, "headers:" + CredentialHash(headers));
        }

        if (operatorLnbits.SingleUserSettings is { } operatorSettings)
        {
            return new LnbitsConnection(operatorSettings, LnbitsConnection.OperatorSource, call.Session, "operator");
        }

        return null;
    }

    private void ThrowIfStoreUnavailable()
    {
        if (call.SessionStoreUnavailable)
        {
            throw ToolCallFilter.SessionStoreUnavailable();
        }
    }

    private static ToolException NoSession() => new(ToolErrorCodes.NoSession,
        "This call has no session. Call create_session and pass its session_id to every tool, " +
        "or connect with a client that keeps an MCP session (Streamable HTTP with initialize, or /sse), " +
        "or send the X-LNbits-Url and X-LNbits-Api-Key headers.");

    private static string CredentialHash(LnbitsSettings settings)
    {
        var material = settings.BaseUrl.AbsoluteUri + "\n" + (settings.ApiKey ?? settings.BearerToken)?.Reveal();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }
}
