namespace LnbitsMcp.Server.Cli;

/// <summary>The standalone server's command line (CONTRACT §2): host, port, debug, help.</summary>
public sealed record ServerCommandLine
{
    public const int DefaultPort = 8000;
    public const string DefaultHost = "0.0.0.0";

    public string? Host { get; init; }
    public int? Port { get; init; }
    public bool Debug { get; init; }
    public bool ShowHelp { get; init; }
    public string? Error { get; init; }

    /// <summary>Arguments this parser does not own, passed on to the ASP.NET Core host.</summary>
    public IReadOnlyList<string> HostArguments { get; init; } = [];

    public static ServerCommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new ServerCommandLine();
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-h" or "--help":
                    result = result with { ShowHelp = true };
                    break;
                case "--debug":
                    result = result with { Debug = true };
                    break;
                case "--host":
                    if (!TryTakeValue(args, ref i, out var host))
                    {
                        return result with { Error = "--host needs a value, e.g. --host 127.0.0.1" };
                    }

                    result = result with { Host = host };
                    break;
                case "--port":
                    if (!TryTakeValue(args, ref i, out var portText)
                        || !int.TryParse(portText, out var port) || port is < 0 or > 65535)
                    {
                        return result with { Error = "--port needs a number between 0 and 65535, e.g. --port 8001" };
                    }

                    result = result with { Port = port };
                    break;
                default:
                    rest.Add(arg);
                    break;
            }
        }

        return result with { HostArguments = rest };
    }

    private static bool TryTakeValue(IReadOnlyList<string> args, ref int index, out string value)
    {
        value = string.Empty;
        if (index + 1 >= args.Count || args[index + 1].StartsWith("--", StringComparison.Ordinal))
        {
            return false;
        }

        value = args[++index];
        return true;
    }

    /// <summary>Prints help (exit 0), or the parse error and help (exit 2).</summary>
    public static int WriteUsage(ServerCommandLine commandLine, TextWriter output, TextWriter error)
    {
        if (commandLine.Error is null)
        {
            WriteHelp(output);
            return 0;
        }

        error.WriteLine($"error: {commandLine.Error}");
        WriteHelp(error);
        return 2;
    }

    public static void WriteHelp(TextWriter output) => output.Write(
        """
        LnbitsMcp.Server — remote MCP server for LNbits Lightning wallets.

        Usage: LnbitsMcp.Server [options]

        Options:
          --host <address>   Address to listen on (default 0.0.0.0).
          --port <port>      Port to listen on (default 8000).
          --debug            Log at Debug level.
          -h, --help         Show this help and exit.

        Endpoints: /mcp (Streamable HTTP), /sse + /message (legacy HTTP+SSE), /health, /alive.
        Without a Redis connection string (ConnectionStrings__redis) sessions are kept in process.

        """);
}
