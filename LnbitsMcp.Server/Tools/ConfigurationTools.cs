using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using LnbitsMcp.Server.Auth;
using LnbitsMcp.Server.Lnbits;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Sessions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Tools;

[McpServerToolType]
public sealed class ConfigurationTools(
    SessionAccess access,
    ISessionStore store,
    OperatorLnbits operatorLnbits,
    LnbitsClientFactory clients,
    LnbitsConnector connector,
    SessionLinks links,
    Microsoft.Extensions.Options.IOptions<SessionsOptions> sessionOptions)
{
    [McpServerTool(Title = "Configure LNbits", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(ConfigureLnbitsResult))]
    [Description("Connects this session to an LNbits wallet. The server checks the credentials against LNbits before keeping them " +
        "(nothing is saved when the check fails) and reports key_type: an admin key can pay, an invoice key makes the session read-only. " +
        "Secrets are kept only in this session (encrypted at rest) and are never shown again unmasked.")]
    public async Task<CallToolResult> ConfigureLnbitsAsync(
        McpServer server,
        [Description("Base URL of the LNbits server, e.g. https://legend.lnbits.com. Defaults to the operator's LNBITS_URL when set.")] string? lnbits_url = null,
        [Description("Wallet API key (admin key to pay, invoice key for read-only). Required for api_key_header and api_key_query.")] string? api_key = null,
        [Description("How to authenticate: api_key_header (default, X-Api-Key), api_key_query (?api-key=), bearer (a user access token), oauth2 (username and password).")] string? auth_method = null,
        [Description("LNbits user access token, for auth_method bearer.")] string? bearer_token = null,
        [Description("LNbits username, for auth_method oauth2.")] string? username = null,
        [Description("LNbits password, for auth_method oauth2.")] string? password = null,
        [Description("With bearer or oauth2: which of the user's wallets to use (wallet id). Default: the first wallet.")] string? wallet_id = null,
        [Description("Seconds to wait for LNbits on each request, 1-120. Default 30 (or the operator's LNBITS_TIMEOUT).")][Range(1, 120)] int? timeout_seconds = null,
        CancellationToken cancellationToken = default)
    {
        if (access.Call.OAuthScopes is not null)
        {
            throw new ToolException(ToolErrorCodes.InvalidArgument,
                "This OAuth connection's wallet was chosen on the connect page; to use another wallet, connect again (and revoke this one at /connections).");
        }

        var session = await access.RequireSessionAsync(cancellationToken);
        if (links.CanElicit(server, api_key, bearer_token, password))
        {
            // CONTRACT §8: a client with URL-mode elicitation sends the person to our page; no key passes through the model.
            var linked = await links.ElicitAsync(server, session, cancellationToken);
            access.Call.Session = linked;
            var chosen = linked.Lnbits!;
            return ToolResults.Success(new ConfigureLnbitsResult(true, chosen.BaseUrl.AbsoluteUri, chosen.AuthMethod.ToWire(), chosen.KeyType.ToWire(), chosen.WalletName ?? string.Empty));
        }

        var settings = LnbitsSettingsInput.Build(lnbits_url, api_key, auth_method, bearer_token, username, password, wallet_id, timeout_seconds, operatorLnbits);
        settings = await connector.CheckAsync(settings, cancellationToken);
        var updated = session with { Lnbits = settings };
        if (!await store.SaveAsync(updated, cancellationToken))
        {
            throw new ToolException(ToolErrorCodes.SessionNotFound, "The session expired while it was being configured. Create a new one.");
        }

        access.Call.Session = updated;
        settings.RegisterSecrets(sessionOptions.Value.IdleTimeout); // verified by LNbits: kept out of telemetry while the session lives
        if (server.SessionId is not null)
        {
            // The paying tools' availability depends on the key type: let the client list the tools again.
            await server.SendNotificationAsync(NotificationMethods.ToolListChangedNotification, cancellationToken);
        }

        return ToolResults.Success(new ConfigureLnbitsResult(true, settings.BaseUrl.AbsoluteUri, settings.AuthMethod.ToWire(), settings.KeyType.ToWire(), settings.WalletName ?? string.Empty));
    }

    [McpServerTool(Title = "Show LNbits configuration", ReadOnly = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(LnbitsConfigurationResult))]
    [Description("Shows which LNbits wallet this call would use and where that configuration comes from (session, headers or operator). " +
        "The API key is masked (*** plus its last four characters); a bearer token or password shows only as *** (set).")]
    public CallToolResult GetLnbitsConfiguration()
    {
        var connection = access.FindLnbits();
        if (connection is null)
        {
            return ToolResults.Success(new LnbitsConfigurationResult(false, null, null, null, null, null));
        }

        var settings = connection.Settings;
        return ToolResults.Success(new LnbitsConfigurationResult(true, settings.BaseUrl.AbsoluteUri, settings.AuthMethod.ToWire(),
            settings.DisplayCredential, settings.TimeoutSeconds, connection.Source));
    }

    [McpServerTool(Title = "Test LNbits configuration", ReadOnly = true, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(TestConfigurationResult))]
    [Description("Checks that the configured credentials work: reads the wallet from LNbits and reports ok, the wallet name, key_type and latency. " +
        "A failure is reported in the result (ok false, error), not as a tool error.")]
    public async Task<CallToolResult> TestLnbitsConfigurationAsync(CancellationToken cancellationToken)
    {
        var connection = access.RequireLnbits();
        try
        {
            var client = clients.Create(connection.Settings);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var (wallet, keyType) = await client.ProbeAsync(cancellationToken);
            var latency = (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return ToolResults.Success(new TestConfigurationResult(true, wallet.Name, keyType.ToWire(), latency, null));
        }
        catch (ToolException error)
        {
            return ToolResults.Success(new TestConfigurationResult(false, null, null, null, $"{error.Code}: {error.Message}"));
        }
    }

    [McpServerTool(Title = "Check connection", ReadOnly = true, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(CheckConnectionResult))]
    [Description("Checks that the configured LNbits server is reachable (no credentials are used) and reports the latency in milliseconds.")]
    public async Task<CallToolResult> CheckConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = access.RequireLnbits();
        var url = connection.Settings.BaseUrl.AbsoluteUri;
        try
        {
            var latency = await clients.Create(connection.Settings).CheckHealthAsync(cancellationToken);
            return ToolResults.Success(new CheckConnectionResult(true, url, (long)latency.TotalMilliseconds, null));
        }
        catch (ToolException error)
        {
            return ToolResults.Success(new CheckConnectionResult(false, url, null, $"{error.Code}: {error.Message}"));
        }
    }
}
