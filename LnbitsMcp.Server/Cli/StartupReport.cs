using LnbitsMcp.Server.Sessions;

namespace LnbitsMcp.Server.Cli;

/// <summary>What an operator must know at startup: where sessions live and whether the operator's wallet is shared.</summary>
public static partial class StartupReport
{
    public static void Log(IServiceProvider services, IConfiguration configuration, ServerCommandLine commandLine)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("LnbitsMcp.Server.Startup");
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(SessionsExtensions.RedisConnectionName)))
        {
            LogInProcessSessions(logger);
        }

        if (commandLine.SingleUser)
        {
            var settings = services.GetRequiredService<OperatorLnbits>().SingleUserSettings;
            LogSingleUser(logger, settings?.BaseUrl.GetLeftPart(UriPartial.Authority) ?? "(LNBITS_URL/LNBITS_API_KEY not set: callers must configure their own)");
            if (commandLine.AllowRemote && !ServerCommandLine.IsLoopback(commandLine.EffectiveHost))
            {
                LogRemoteSingleUser(logger, commandLine.EffectiveHost);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sessions are kept in this process (no ConnectionStrings__redis): run one instance only; sessions end when it stops.")]
    private static partial void LogInProcessSessions(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Single-user mode: every caller uses the operator's wallet at {LnbitsUrl}.")]
    private static partial void LogSingleUser(ILogger logger, string lnbitsUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single-user mode on {Host} (--allow-remote): anyone who can reach this address can spend the operator's wallet.")]
    private static partial void LogRemoteSingleUser(ILogger logger, string host);
}
