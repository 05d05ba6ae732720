using System.Diagnostics;
using LnbitsMcp.Server.Telemetry;

namespace LnbitsMcp.Server.Payments;

/// <summary>
/// Every payment attempt (allowed, refused, confirmed, declined, paid) as a structured log event and
/// a metric, with the session hint; never a preimage, key or raw session id.
/// </summary>
public sealed partial class PaymentAudit(ServerMetrics metrics, ILogger<PaymentAudit> logger)
{
    public void Record(string tool, string? sessionHint, string outcome, long amountSat, string? detail = null)
    {
        var tags = new TagList { { TelemetryNames.ToolNameTag, tool }, { "outcome", outcome } };
        metrics.Payments.Add(1, tags);
        metrics.PaymentSats.Add(amountSat, tags);
        LogAttempt(logger, tool, outcome, amountSat, sessionHint ?? "none", detail ?? string.Empty);
    }

    public void Record(PaymentCall call, string outcome, long amountSat, string? detail = null) =>
        Record(call.Tool, call.SessionHint, outcome, amountSat, detail);

    /// <summary>A payment refused before anything was sent (outcome <c>refused:&lt;code&gt;</c>).</summary>
    public void Refused(PaymentCall call, string code, long amountMsat) =>
        Record(call, "refused:" + code, SatAmounts.Ceiling(amountMsat));

    /// <summary>
    /// A step of a payment approval (issued, approved, declined, expired, used) through a channel (the page,
    /// URL-mode or form elicitation, a multi-round-trip request, the clock), with the session hint.
    /// </summary>
    public void Approval(PaymentApproval approval, string outcome, string via) =>
        Approval(approval.Tool, approval.SessionHint, outcome, via, approval.AmountSatCeiling);

    public void Approval(string tool, string? sessionHint, string outcome, string via, long amountSat)
    {
        metrics.PaymentApprovals.Add(1, new TagList { { TelemetryNames.ToolNameTag, tool }, { "outcome", outcome }, { "via", via } });
        LogApproval(logger, tool, outcome, via, amountSat, sessionHint ?? "none");
    }

    [LoggerMessage(EventId = 4101, EventName = "PaymentApproval", Level = LogLevel.Information,
        Message = "Payment approval for {ToolName}: {Outcome} via {Via}, {AmountSat} sat, session {SessionHint}")]
    private static partial void LogApproval(ILogger logger, string toolName, string outcome, string via, long amountSat, string sessionHint);

    [LoggerMessage(EventId = 4100, EventName = "PaymentAttempt", Level = LogLevel.Information,
        Message = "Payment attempt via {ToolName}: {Outcome}, {AmountSat} sat, session {SessionHint} {Detail}")]
    private static partial void LogAttempt(ILogger logger, string toolName, string outcome, long amountSat, string sessionHint, string detail);
}
