namespace LnbitsMcp.Server.Cli;

public static class CommandLineHostingExtensions
{
    /// <summary>
    /// Applies --host/--port/--debug. Without them, a host that has no URLs configured (no
    /// ASPNETCORE_URLS, --urls or HTTP_PORTS, as when run standalone) listens on 0.0.0.0:8000.
    /// </summary>
    public static WebApplicationBuilder UseServerCommandLine(this WebApplicationBuilder builder, ServerCommandLine commandLine)
    {
        var configuredUrls = builder.Configuration["urls"] ?? builder.Configuration["http_ports"];
        if (commandLine.Host is not null || commandLine.Port is not null || string.IsNullOrWhiteSpace(configuredUrls))
        {
            var host = commandLine.Host ?? ServerCommandLine.DefaultHost;
            var port = commandLine.Port ?? ServerCommandLine.DefaultPort;
            var hostPart = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
            builder.WebHost.UseUrls($"http://{hostPart}:{port}");
        }

        if (commandLine.Debug)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
        }

        return builder;
    }
}
