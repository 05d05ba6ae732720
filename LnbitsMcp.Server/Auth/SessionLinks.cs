using System.Text.Json;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Sessions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Auth;

/// <summary>
/// <c>configure_lnbits</c> for clients that declare URL-mode elicitation: instead of taking the key as a tool
/// argument (through the model), the server asks the client to open <c>/connect/{link}</c>, where the person
/// enters the wallet. The link is 256 random bits, bound to that one session in the shared store, used once,
/// and expires after <c>Auth:SessionLinkLifetime</c>. The call waits (bounded) until the page has configured
/// the session, then sends <c>notifications/elicitation/complete</c> and answers as the argument form does.
/// </summary>
public sealed class SessionLinks(IOAuthStore store, ISessionStore sessions, PublicUrls urls, IHttpContextAccessor http, IOptions<AuthOptions> options)
{
    public const string PagePath = "/connect";
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(300);

    /// <summary>True when this call can go through the page: the client supports URL elicitation and sent no secret.</summary>
    public bool CanElicit(McpServer server, params string?[] secrets) =>
        server.ClientCapabilities?.Elicitation?.Url is not null && http.HttpContext is not null && secrets.All(string.IsNullOrEmpty);

    public async Task<AppSession> ElicitAsync(McpServer server, AppSession session, CancellationToken cancellationToken)
    {
        var link = AuthorizationServerHandlers.NewId() + AuthorizationServerHandlers.NewId();
        var elicitationId = AuthorizationServerHandlers.NewId();
        Telemetry.SecretRedactor.Register(link);
        var lifetime = options.Value.SessionLinkLifetime;
        await store.PutOnceAsync(OneUseKind.SessionLink, link,
            JsonSerializer.Serialize(new SessionLink { SessionKey = session.Key, ElicitationId = elicitationId }, OAuthJson.Default.SessionLink), lifetime, cancellationToken);
        var answer = await server.ElicitAsync(new ElicitRequestParams
        {
            Mode = "url",
            Url = urls.Absolute(http.HttpContext!.Request, $"{PagePath}/{link}"),
            ElicitationId = elicitationId,
            Message = "Open this page to connect your LNbits wallet to this session. The key stays on the server; the assistant never sees it.",
        }, cancellationToken);
        if (!answer.IsAccepted)
        {
            await store.TakeOnceAsync(OneUseKind.SessionLink, link, cancellationToken);
            throw new ToolException(ToolErrorCodes.NotConfigured, "The wallet was not connected: the user did not open the connect page.");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(lifetime);
        try
        {
            while (await store.PeekOnceAsync(OneUseKind.SessionLink, link, deadline.Token) is not null)
            {
                await Task.Delay(s_poll, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ToolException(ToolErrorCodes.NotConfigured, "The connect page was not completed in time. Call configure_lnbits again.");
        }

        var configured = await sessions.FindAsync(session.Key, cancellationToken);
        if (configured?.Lnbits is null)
        {
            throw new ToolException(ToolErrorCodes.NotConfigured, "The connect page was closed without connecting a wallet.");
        }

        await server.SendNotificationAsync(NotificationMethods.ElicitationCompleteNotification, new ElicitationCompleteNotificationParams { ElicitationId = elicitationId }, cancellationToken: cancellationToken);
        return configured;
    }
}
