using System.ComponentModel;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Server;

// The bare MCP C# SDK, as its samples run it: Streamable HTTP at /mcp and one echo tool.
// Stateful (Mcp-Session-Id after initialize) by default; --stateless serves without sessions.
// /health answers for the edge's health checks. --canned NAME=FILE adds a tool NAME that answers every call with the tool result in FILE (CannedResultTool).
var stateless = args.Contains("--stateless");
var canned = Array.IndexOf(args, "--canned") is var at and >= 0 && at + 1 < args.Length ? args[at + 1].Split('=', 2) : null;
var builder = WebApplication.CreateBuilder([.. args.Where(a => a != "--stateless")]);
var mcp = builder.Services.AddMcpServer()
    .WithHttpTransport(options => options.SessionMode = stateless ? HttpServerSessionMode.Stateless : HttpServerSessionMode.Stateful)
    .WithTools<EchoTool>();
if (canned is [var name, var file])
{
    mcp.WithTools([CannedResultTool.Create(name, file)]);
}

var app = builder.Build();
app.MapMcp("/mcp");
app.MapGet("/health", () => "Healthy"); // the edge's active health check (the edge-echo target)
app.Run();

[McpServerToolType]
internal sealed class EchoTool
{
    [McpServerTool(Name = "echo"), Description("Echoes the message back.")]
    public static string Echo([Description("The text to echo.")] string message) => message;
}
