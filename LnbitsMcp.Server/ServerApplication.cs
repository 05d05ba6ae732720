using LnbitsMcp.Server.Auth;
using LnbitsMcp.Server.Cli;
using LnbitsMcp.Server.L402;
using LnbitsMcp.Server.Mcp;
using LnbitsMcp.Server.Payments;
using LnbitsMcp.Server.Pages;
using LnbitsMcp.Server.Rest;
using LnbitsMcp.Server.Security;
using LnbitsMcp.Server.Sessions;
using LnbitsMcp.Server.Telemetry;

namespace LnbitsMcp.Server;

/// <summary>The server's composition, shared by <c>Program.cs</c> and the tests that host it on a real port.</summary>
public static class ServerApplication
{
    public static WebApplication Build(ServerCommandLine commandLine, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder([.. commandLine.HostArguments]);
        builder.UseServerCommandLine(commandLine);
        builder.AddServerTelemetry(); // first: its processors tag and redact before any exporter sees a span
        builder.AddServiceDefaults();
        configure?.Invoke(builder);
        builder.AddEdgeHttp2Endpoint(); // after the command line and the host's own settings: its port joins the addresses listened on
        builder.AddForwardedHeadersTrust();
        builder.AddRequestGuards();
        builder.AddCallerAuth();
        builder.AddPages();
        builder.AddSessions();
        builder.AddLnbitsClient();
        builder.AddPayeeRules();
        builder.AddL402();
        builder.AddLnbitsMcpServer();
        builder.AddRestTools();

        var app = builder.Build();
        app.WithoutAuthorizationMiddleware(); // callers are checked by UseCallerAuth's gate and by the pages themselves
        app.UseJsonErrors(SecretRedactor.BeginScope); // one redaction scope per request: values its tool calls meet are scrubbed from its later lines too
        app.UseForwardedHeadersTrust();
        app.UseRequestGuards();
        app.UseCallerAuth();
        app.MapDefaultEndpoints();
        app.MapLnbitsMcp();
        app.MapRestTools();
        app.MapPages();
        StartupReport.Log(app.Services, app.Configuration, commandLine);
        return app;
    }
}
