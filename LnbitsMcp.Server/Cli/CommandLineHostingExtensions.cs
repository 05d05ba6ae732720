using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Cli;

public static partial class CommandLineHostingExtensions
{
    /// <summary>
    /// Applies the command line: mode, Redis and log level for every host; for HTTP, the listen
    /// address. Without --host/--port, a host that has no URLs configured (no ASPNETCORE_URLS,
    /// --urls or HTTP_PORTS, as when run standalone) listens on 0.0.0.0:8000.
    /// </summary>
    public static WebApplicationBuilder UseServerCommandLine(this WebApplicationBuilder builder, ServerCommandLine commandLine)
    {
        builder.ApplyCommandLineSettings(commandLine);
        var configuredUrls = builder.Configuration["urls"] ?? builder.Configuration["http_ports"];
        if (commandLine.Host is not null || commandLine.Port is not null || string.IsNullOrWhiteSpace(configuredUrls) || commandLine.SingleUser)
        {
            var host = commandLine.EffectiveHost;
            var port = commandLine.Port ?? ServerCommandLine.DefaultPort;
            var hostPart = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
            builder.WebHost.UseUrls($"http://{hostPart}:{port}");
        }

        return builder;
    }

    public static IHostApplicationBuilder ApplyCommandLineSettings(this IHostApplicationBuilder builder, ServerCommandLine commandLine)
    {
        var settings = new Dictionary<string, string?>();
        if (commandLine.SingleUser)
        {
            settings[OperatorLnbits.SingleUserKey] = "true";
        }

        if (commandLine.Redis is not null)
        {
            settings["ConnectionStrings:redis"] = commandLine.Redis;
        }

        if (commandLine.Debug)
        {
            // Configuration rules win over SetMinimumLevel: appsettings' "Default": "Information" would hide every debug line.
            settings["Logging:LogLevel:Default"] = "Debug";
            settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Information";
            settings["Logging:LogLevel:ModelContextProtocol"] = "Debug"; // appsettings keep these per-call lines at Warning
            settings["Logging:LogLevel:System.Net.Http.HttpClient"] = "Debug";
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
        }

        builder.Configuration.AddInMemoryCollection(settings);

        return builder;
    }
}
