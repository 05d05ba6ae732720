using LnbitsMcp.Server.Sessions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Payments;

/// <summary>One paying tool call: the wallet, the MCP server (for elicitation) and the safety switches.</summary>
public sealed record PaymentCall(string Tool, LnbitsConnection Connection, McpServer Server, string? SessionHint, bool DryRun, string? ConfirmationToken)
{
    /// <summary>The <c>approval_id</c> argument: the call repeats a payment a person was asked to approve.</summary>
    public string? ApprovalId { get; init; }

    /// <summary>The authenticated caller (hashed subject), or null.</summary>
    public string? Owner { get; init; }

    /// <summary>The <c>tools/call</c> request: a multi-round-trip retry carries <c>requestState</c> and <c>inputResponses</c>, and a 2026-07-28 request its client's capabilities.</summary>
    public RequestContext<CallToolRequestParams>? Request { get; init; }
}
