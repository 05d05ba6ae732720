using LnbitsMcp.Server.Cli;
using LnbitsMcp.Server.L402;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Payments;
using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Server.Telemetry;

namespace LnbitsMcp.Server;

/// <summary>
/// <c>--stdio</c>: the same tools over stdin/stdout for a desktop MCP client on this machine. All
/// logs go to stderr (stdout carries the protocol); the process is one user with one session.
/// </summary>
public static class StdioApplication
{
    public const string TransportSessionKey = "Server:StdioSession";

    public static IHost Build(ServerCommandLine commandLine)
    {
        var builder = Host.CreateApplicationBuilder([.. commandLine.HostArguments]);
        builder.ApplyCommandLineSettings(commandLine);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TransportSessionKey] = "stdio-" + Guid.NewGuid().ToString("N"),
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddServerTelemetry();
        builder.AddServiceDefaults();
        builder.AddSessions();
        builder.AddLnbitsClient();
        builder.AddPayeeRules();
        builder.AddL402();
        builder.AddLnbitsMcpStdioServer();
        var host = builder.Build();
        StartupReport.Log(host.Services, host.Services.GetRequiredService<IConfiguration>(), commandLine);
        return host;
    }
}
