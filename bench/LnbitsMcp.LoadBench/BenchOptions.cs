using System.Globalization;

namespace LnbitsMcp.LoadBench;

/// <summary>The command line of <c>bench/load.sh</c> (every option has a default; see <see cref="Usage"/>).</summary>
public sealed record BenchOptions
{
    public int Rounds { get; init; } = 3;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(30);
    public IReadOnlyList<int> Connections { get; init; } = [1, 16, 64];
    public IReadOnlyList<int> SessionCounts { get; init; } = [10_000, 100_000];

    /// <summary>The targets to load (by name; all when empty): e.g. one target at a time while a profiler records.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Another checkout (its root) whose server is loaded beside this one's, round by round: an A/B of two builds.</summary>
    public string? CompareRoot { get; init; }

    public string ResultsDirectory { get; init; } =
        Environment.GetEnvironmentVariable("BENCH_RESULTS") is { Length: > 0 } results
            ? results
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "lnbits-mcp-bench");

    public const string Usage = """
        bench/load.sh [--rounds N] [--duration SECONDS] [--warmup SECONDS] [--connections 1,16,64] [--sessions 10000,100000|none] [--targets sdk,server-decode,…] [--compare CHECKOUT] [--results DIR]

        Starts redis-server, the LNbits sandbox, two servers, the edge and the references (bare MCP SDK, stateful;
        YARP, and a second edge, in front of a bare stateless SDK server; the SDK servers answer echo, and
        decode_invoice with our result, canned), loads them with wrk in interleaved rounds and writes the table
        to DIR/<timestamp>.md (default ${BENCH_RESULTS:-~/lnbits-mcp-bench}). --targets loads only the named
        targets (sdk, server-decode, server-balance, server-oauth-decode, yarp, edge-decode, edge-balance,
        sdk-decode, yarp-decode, edge-echo, sandbox), e.g. one at a time while a profiler records; ratios and goals need their
        references among them. --compare CHECKOUT also starts the server of another checkout (bench/load.sh builds
        it too) as target server-decode-b, beside server-decode in every round, and adds the two builds' ratio
        round by round: e.g. --compare ../main --targets server-decode,server-decode-b --connections 16 --rounds 9.
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new BenchException($"{args[i]} needs a value.\n{Usage}");
            options = args[i] switch
            {
                "--rounds" => options with { Rounds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(int.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(int.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--connections" => options with { Connections = Numbers(Next()) },
                "--sessions" => options with { SessionCounts = Numbers(Next()) },
                "--targets" => options with { Targets = Names(Next()) },
                "--results" => options with { ResultsDirectory = Next() },
                "--compare" => options with { CompareRoot = Checkout(Next()) },
                "--help" or "-h" => throw new BenchException(Usage),
                _ => throw new BenchException($"unknown option {args[i]}\n{Usage}"),
            };
        }

        return options.Rounds < 1 || options.Duration < TimeSpan.FromSeconds(1)
            ? throw new BenchException($"--rounds and --duration must be at least 1.\n{Usage}")
            : options;
    }

    private static string Checkout(string path) =>
        File.Exists(Path.Combine(path, "LnbitsMcp.sln")) ? Path.GetFullPath(path) : throw new BenchException($"--compare {path}: no LnbitsMcp.sln there.\n{Usage}");

    private static string[] Names(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int[] Numbers(string text) => text == "none" ? [] :
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => int.Parse(n, CultureInfo.InvariantCulture))];
}
