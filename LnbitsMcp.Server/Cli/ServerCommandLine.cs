using System.Net;

namespace LnbitsMcp.Server.Cli;

/// <summary>
/// The standalone server's command line (CONTRACT §2): host, port, debug, single-user mode, remote
/// access, Redis connection, stdio transport, help.
/// </summary>
public sealed record ServerCommandLine
{
    public const int DefaultPort = 8000;
    public const string DefaultHost = "0.0.0.0";
    public const string SingleUserDefaultHost = "127.0.0.1";

    public string? Host { get; init; }
    public int? Port { get; init; }
    public bool Debug { get; init; }
    public bool SingleUser { get; init; }
    public bool AllowRemote { get; init; }
    public bool Stdio { get; init; }
    public string? Redis { get; init; }
    public bool ShowHelp { get; init; }
    public string? Error { get; init; }

    /// <summary>Arguments this parser does not own, passed on to the ASP.NET Core host.</summary>
    public IReadOnlyList<string> HostArguments { get; init; } = [];

    /// <summary>The address to listen on: --host, else 0.0.0.0 (127.0.0.1 in single-user mode).</summary>
    public string EffectiveHost => Host ?? (SingleUser ? SingleUserDefaultHost : DefaultHost);

    public static ServerCommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new ServerCommandLine();
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    result = result with { ShowHelp = true };
                    break;
                case "--debug":
                    result = result with { Debug = true };
                    break;
                case "--single-user":
                    result = result with { SingleUser = true };
                    break;
                case "--allow-remote":
                    result = result with { AllowRemote = true };
                    break;
                case "--stdio":
                    result = result with { Stdio = true };
                    break;
                case "--host":
                    if (!TryTakeValue(args, ref i, out var host))
                    {
                        return result with { Error = "--host needs a value, e.g. --host 127.0.0.1" };
                    }

                    result = result with { Host = host };
                    break;
                case "--redis":
                    if (!TryTakeValue(args, ref i, out var redis))
                    {
                        return result with { Error = "--redis needs a connection string, e.g. --redis localhost:6379" };
                    }

                    result = result with { Redis = redis };
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
                    rest.Add(args[i]);
                    break;
            }
        }

        result = result with { HostArguments = rest };
        if (result.SingleUser && !result.Stdio && !result.AllowRemote && !IsLoopback(result.EffectiveHost))
        {
            return result with
            {
                Error = $"--single-user hands the operator's LNbits wallet to every caller, so it listens on loopback only; " +
                    $"{result.EffectiveHost} is not loopback. Use --host 127.0.0.1, or add --allow-remote if you really mean it.",
            };
        }

        return result;
    }

    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

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
          --host <address>     Address to listen on (default 0.0.0.0; 127.0.0.1 with --single-user).
          --port <port>        Port to listen on (default 8000).
          --debug              Log at Debug level.
          --single-user        Mode: hand the operator's wallet (LNBITS_URL, LNBITS_API_KEY, LNBITS_AUTH_METHOD)
                               to every caller. Listens on loopback only unless --allow-remote.
                               Default mode is multi-user: every user configures their own wallet.
          --allow-remote       With --single-user: allow a non-loopback --host (anyone who reaches it can pay).
          --redis <conn>       Redis connection string (same as ConnectionStrings__redis): sessions are then
                               shared by every instance. Without it sessions are kept in this process.
          --stdio              Serve MCP over stdin/stdout (for desktop clients on this machine) instead of HTTP.
          -h, --help           Show this help and exit.

        Endpoints: /mcp (Streamable HTTP), /sse + /message (legacy HTTP+SSE), /health, /alive.
        Environment: LNBITS_URL (default LNbits URL), LNBITS_API_KEY, LNBITS_AUTH_METHOD, LNBITS_TIMEOUT (seconds).

        """);
}
