using System.ComponentModel;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Server;

// The bare MCP C# SDK, as its samples run it: Streamable HTTP at /mcp and one echo tool.
// Stateful (Mcp-Session-Id after initialize) by default; --stateless serves without sessions.
var stateless = args.Contains("--stateless");
var builder = WebApplication.CreateBuilder([.. args.Where(a => a != "--stateless")]);
builder.Services.AddMcpServer()
    .WithHttpTransport(options => options.SessionMode = stateless ? HttpServerSessionMode.Stateless : HttpServerSessionMode.Stateful)
    .WithTools<EchoTool>();

var app = builder.Build();
app.MapMcp("/mcp");
app.Run();

[McpServerToolType]
internal sealed class EchoTool
{
    [McpServerTool(Name = "echo"), Description("Echoes the message back.")]
    public static string Echo([Description("The text to echo.")] string message) => message;
}
