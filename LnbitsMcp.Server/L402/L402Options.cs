using System.ComponentModel.DataAnnotations;
using LnbitsMcp.Server.Configuration;

namespace LnbitsMcp.Server.L402;

/// <summary>
/// The operator's settings for <c>pay_l402</c> (section <c>Payments</c>, beside the payment policy it obeys):
/// the most one L402 payment may cost, and how long a paid credential is kept for reuse.
/// </summary>
public sealed class L402Options
{
    public const string SectionName = "Payments";

    /// <summary>The highest <c>max_sats</c> a <c>pay_l402</c> call may give (<c>Payments:MaxL402Sats</c>).</summary>
    [Range(1, 2_100_000_000_000_000)]
    public long MaxL402Sats { get; set; } = 1_000;

    /// <summary>How long a paid credential is reused for its session and origin (<c>Payments:L402CredentialLifetime</c>).</summary>
    [TimeSpanRange("00:01:00", "30.00:00:00")]
    public TimeSpan L402CredentialLifetime { get; set; } = TimeSpan.FromHours(24);
}
