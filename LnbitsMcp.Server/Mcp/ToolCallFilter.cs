using System.Diagnostics;
using System.Text.Json;
using LnbitsMcp.Server.Auth;
using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Server.Telemetry;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Mcp;

/// <summary>
/// Runs around every tool call: validates the arguments against the schema, resolves which session
/// the call uses (CONTRACT §4), tags the SDK's span with the session hint and tool name, and turns
/// every failure into the contract's error result (no stack trace reaches the client).
/// </summary>
public sealed partial class ToolCallFilter(
    IConfiguration configuration,
    IHttpContextAccessor httpContextAccessor,
    ISessionStore sessions,
    ToolSpanEnricher spans,
    ServerMetrics metrics,
    Microsoft.Extensions.Options.IOptions<SessionsOptions> sessionOptions,
    ILogger<ToolCallFilter> logger)
{
    public const string LnbitsUrlHeader = "X-LNbits-Url";
    public const string LnbitsApiKeyHeader = "X-LNbits-Api-Key";
    public const string LnbitsAuthMethodHeader = "X-LNbits-Auth-Method";
    public const string McpSessionIdHeader = "Mcp-Session-Id";

    private static readonly string[] s_sessionIdArguments = [ToolSchemaConventions.SessionIdArgument, ToolSchemaConventions.LegacySessionIdArgument];

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Create(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        (request, cancellationToken) => request.Services!.GetRequiredService<ToolCallFilter>().InvokeAsync(request, next, cancellationToken);

    public async ValueTask<CallToolResult> InvokeAsync(
        RequestContext<CallToolRequestParams> request,
        McpRequestHandler<CallToolRequestParams, CallToolResult> next,
        CancellationToken cancellationToken)
    {
        using var redaction = SecretRedactor.BeginScope();
        var call = request.Services!.GetRequiredService<ToolCallContext>();
        var toolName = request.Params?.Name ?? string.Empty;
        call.ToolName = toolName;
        var activity = Activity.Current;
        var span = activity is null ? null : spans.Follow(activity, toolName);
        var logScope = new ToolCallLogScope(toolName);
        using var scope = logger.BeginScope(logScope);
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            if (request.Items.TryGetValue(ToolCallParamsGuard.ProblemItem, out var textProblem) && textProblem is string problemText)
            {
                throw ToolException.InvalidArgument(problemText);
            }

            var tool = request.MatchedPrimitive as McpServerTool;
            if (tool is not null && ArgumentValidator.Validate(tool.ProtocolTool.InputSchema, request.Params?.Arguments) is { } problem)
            {
                throw ToolException.InvalidArgument(problem);
            }

            await ResolveCallerAsync(call, request, cancellationToken, span);
            TagSession(call, span, logScope);
            if (call.OAuthScopes is { } scopes && tool?.ProtocolTool.Annotations?.DestructiveHint == true && !scopes.Contains(OAuthScopes.WalletPay))
            {
                throw new ToolException(ToolErrorCodes.ReadOnlySession, "This connection may only read (scope wallet:read): paying needs a connection made with an admin key and without read-only.");
            }

            var result = await next(request, cancellationToken);
            TagSession(call, span, logScope);
            return DirectToolResults.Defer(request, result);
        }
        catch (ToolException error)
        {
            TagSession(call, span, logScope);
            outcome = error.Code;
            activity?.SetTag(TelemetryNames.ErrorCodeTag, error.Code);
            LogToolError(logger, toolName, error.Code, call.SessionHint);
            return ToolResults.Error(error);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception error) when (RedisFailure.Is(error))
        {
            outcome = ToolErrorCodes.ServiceUnavailable;
            activity?.SetTag(TelemetryNames.ErrorCodeTag, ToolErrorCodes.ServiceUnavailable);
            LogToolFault(logger, toolName, call.SessionHint, error.GetType().Name);
            return ToolResults.Error(SessionStoreUnavailable());
        }
        catch (Exception error) when (error is not (ModelContextProtocol.McpProtocolException or InputRequiredException))
        {
            outcome = ToolErrorCodes.InternalError;
            activity?.SetTag(TelemetryNames.ErrorCodeTag, ToolErrorCodes.InternalError);
            LogToolFault(logger, toolName, call.SessionHint, FaultSite.Of(error));
            return ToolResults.Error(new ToolException(ToolErrorCodes.InternalError,
                $"The server failed unexpectedly. If this was a payment, check get_payment_status before trying again. Trace id: {Activity.Current?.TraceId.ToString() ?? "n/a"}."));
        }
        finally
        {
            var tags = new TagList { { TelemetryNames.ToolNameTag, toolName }, { "outcome", outcome } };
            metrics.ToolCalls.Add(1, tags);
            metrics.ToolDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    private async Task ResolveCallerAsync(ToolCallContext call, RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken, ToolSpanEnricher.ToolSpan? span)
    {
        var http = httpContextAccessor.HttpContext;
        // Over stdio the whole process is one MCP session.
        call.TransportSessionId = request.Server.SessionId ?? configuration[StdioApplication.TransportSessionKey];
        call.Owner = OwnerKey.Of(request.User ?? http?.User);
        call.ClientAddress = http?.Connection.RemoteIpAddress?.ToString();
        call.HeaderSettings = http is null ? null : HeaderCredentials.Read(http.Request.Headers);
        call.SessionIdArgument = SessionIdArgument(request.Params?.Arguments);
        var freshness = Freshness(request.MatchedPrimitive as McpServerTool);

        // Caller input is scrubbed from this call's telemetry only; what we issued or verified stays
        // registered while it is live (SecretRedactor): the SDK knows this transport session.
        SecretRedactor.RegisterForCall(call.SessionIdArgument);
        RegisterCallerSecrets(request.Params?.Arguments);
        SecretRedactor.Register(call.TransportSessionId, sessionOptions.Value.IdleTimeout);

        if (Connections.Identify(request.User ?? http?.User) is { } connection)
        {
            // CONTRACT §4 rule 0: an OAuth access token uses its connection.
            call.OAuthScopes = ResourceServerGate.Scopes((request.User ?? http?.User)!);
            if (span is not null)
            {
                span.SessionHint = SessionId.HintOfKey(connection.Connection);
            }

            if (call.SessionIdArgument is { } named
                && (!SessionId.IsWellFormed(named) || await sessions.FindAsync(SessionId.Key(named), cancellationToken) is not { } other || other.Owner != call.Owner))
            {
                throw new ToolException(ToolErrorCodes.SessionNotFound,
                    "No live session of yours has this session_id. Calls with this connection need no session_id.");
            }

            var bound = await sessions.FindAsync(connection.Connection, freshness, cancellationToken);
            if (bound is null || bound.Owner != call.Owner || bound.Lnbits is null)
            {
                throw new ToolException(ToolErrorCodes.SessionNotFound, "This connection has ended (revoked or expired). Connect again.");
            }

            call.Session = bound;
            return;
        }

        if (call.SessionIdArgument is { } sessionId)
        {
            if (span is not null)
            {
                span.SessionHint = SessionId.Hint(sessionId); // known before the lookup, so its Redis span carries it too
            }

            var session = SessionId.IsWellFormed(sessionId) ? await sessions.FindAsync(SessionId.Key(sessionId), cancellationToken) : null;
            if (session is null || (session.Owner is not null && session.Owner != call.Owner))
            {
                throw new ToolException(ToolErrorCodes.SessionNotFound,
                    "No live session has this session_id: it never existed, it expired after being idle, or it belongs to someone else. Call create_session for a new one.");
            }

            call.Session = session;
            SecretRedactor.Register(sessionId, sessionOptions.Value.IdleTimeout);
            session.Lnbits?.RegisterSecrets(sessionOptions.Value.IdleTimeout);
        }
        else if (call.TransportSessionId is { } transport)
        {
            AppSession? session;
            try
            {
                session = await sessions.FindByTransportAsync(transport, freshness, cancellationToken);
            }
            catch (Exception ex) when (RedisFailure.Is(ex))
            {
                call.SessionStoreUnavailable = true;
                return;
            }

            if (session is not null && (session.Owner is null || session.Owner == call.Owner))
            {
                call.Session = session;
                call.BoundToTransport = true;
                session.Lnbits?.RegisterSecrets(sessionOptions.Value.IdleTimeout);
            }
        }
    }

    /// <summary>
    /// Read-only tools on an MCP connection (bound session or OAuth connection: the edge sends all its calls to
    /// this instance) may use this instance's copy of the session confirmed within the last second (no store
    /// round trip); every tool that pays or changes something, and every call naming a session_id (which any
    /// instance may serve next), reads the session as it is now.
    /// </summary>
    private static SessionFreshness Freshness(McpServerTool? tool) =>
        tool?.ProtocolTool.Annotations is { ReadOnlyHint: true, DestructiveHint: not true } ? SessionFreshness.Recent : SessionFreshness.Current;

    /// <summary>Secret-named arguments (api_key, password, bearer_token, confirmation_token) are scrubbed from this call's telemetry.</summary>
    private static void RegisterCallerSecrets(IDictionary<string, JsonElement>? arguments)
    {
        if (arguments is null)
        {
            return;
        }

        foreach (var (name, value) in arguments)
        {
            if (value.ValueKind == JsonValueKind.String && SecretNames.IsSecret(name))
            {
                SecretRedactor.RegisterForCall(value.GetString());
            }
        }
    }

    public static ToolException SessionStoreUnavailable() => new(ToolErrorCodes.ServiceUnavailable,
        "The session store (Redis) cannot be reached right now, so this call could not run; nothing was paid or changed. Try again in a few seconds.");

    private static string? SessionIdArgument(IDictionary<string, JsonElement>? arguments)
    {
        if (arguments is null)
        {
            return null;
        }

        foreach (var name in s_sessionIdArguments)
        {
            if (arguments.TryGetValue(name, out var value))
            {
                if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
                {
                    return text.Trim();
                }

                if (value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) && value.ValueKind != JsonValueKind.String)
                {
                    throw ToolException.InvalidArgument($"'{name}' must be a string");
                }
            }
        }

        return null;
    }

    private static void TagSession(ToolCallContext call, ToolSpanEnricher.ToolSpan? span, ToolCallLogScope logScope)
    {
        if (call.SessionHint is not { } hint)
        {
            return;
        }

        if (span is not null)
        {
            span.SessionHint = hint;
        }

        Activity.Current?.SetTag(TelemetryNames.SessionTag, hint);
        logScope.SessionHint = hint;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tool {ToolName} answered {ErrorCode} (session {SessionHint})")]
    private static partial void LogToolError(ILogger logger, string toolName, string errorCode, string? sessionHint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tool {ToolName} failed unexpectedly with {ExceptionType} (session {SessionHint})")]
    private static partial void LogToolFault(ILogger logger, string toolName, string? sessionHint, string exceptionType);
}
