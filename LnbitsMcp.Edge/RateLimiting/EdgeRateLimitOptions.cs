using System.ComponentModel.DataAnnotations;

namespace LnbitsMcp.Edge.RateLimiting;

/// <summary>Token buckets of the edge (section <c>RateLimiting</c>).</summary>
public sealed class EdgeRateLimitOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>Requests of one MCP session.</summary>
    public TokenBucket Session { get; set; } = new() { TokenLimit = 60, TokensPerPeriod = 10, ReplenishmentPeriod = TimeSpan.FromSeconds(1) };

    /// <summary>Requests of one client address, over all its sessions.</summary>
    public TokenBucket ClientAddress { get; set; } = new() { TokenLimit = 300, TokensPerPeriod = 50, ReplenishmentPeriod = TimeSpan.FromSeconds(1) };

    /// <summary>Requests that open a new session (initialize, GET /sse) from one client address.</summary>
    public TokenBucket NewSession { get; set; } = new() { TokenLimit = 20, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(3) };

    public sealed class TokenBucket
    {
        [Range(1, 1_000_000)]
        public int TokenLimit { get; set; }

        [Range(1, 1_000_000)]
        public int TokensPerPeriod { get; set; }

        public TimeSpan ReplenishmentPeriod { get; set; }
    }
}
