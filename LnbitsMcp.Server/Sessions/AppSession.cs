namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// One user's session: its LNbits configuration and limits. Identified by <see cref="Key"/>, the
/// SHA-256 of the id the user holds; the raw id is never stored.
/// </summary>
public sealed record AppSession
{
    public required string Key { get; init; }

    /// <summary>The authenticated principal that owns the session, or null for anonymous sessions.</summary>
    public string? Owner { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset LastAccessedAt { get; init; }
    public LnbitsSettings? Lnbits { get; init; }

    /// <summary>The user's own payment limits; they can only tighten the operator's.</summary>
    public SessionLimits Limits { get; init; } = SessionLimits.None;

    /// <summary>This session's own idle timeout (OAuth connections), or null for the configured default.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    public string Hint => SessionId.HintOfKey(Key);
}

/// <summary>Limits a user set for a session (null = the operator's limit applies).</summary>
/// <param name="Payees">The session's own payee rules, on top of the operator's (null = none).</param>
public sealed record SessionLimits(long? MaxPaymentSats = null, long? DailyBudgetSats = null, int? MaxPaymentsPerHour = null, long? ConfirmAboveSats = null, Payments.PayeeRules? Payees = null)
{
    public static SessionLimits None { get; } = new();
}
