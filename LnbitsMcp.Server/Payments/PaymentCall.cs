using LnbitsMcp.Server.Sessions;
using ModelContextProtocol.Server;

namespace LnbitsMcp.Server.Payments;

/// <summary>One paying tool call: the wallet, the MCP server (for elicitation) and the safety switches.</summary>
public sealed record PaymentCall(string Tool, LnbitsConnection Connection, McpServer Server, string? SessionHint, bool DryRun, string? ConfirmationToken);
