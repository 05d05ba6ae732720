namespace LnbitsMcp.Server.Sessions;

/// <summary>
/// A credential (API key, token, password). It never prints itself, and it is scrubbed from the telemetry of the call that holds it: <see cref="ToString"/> is
/// <c>***</c>, so a secret that reaches a log, a span or an exception message shows nothing.
/// </summary>
public sealed class Secret : IEquatable<Secret>
{
    private readonly string _value;

    public Secret(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;

        // Not verified yet (it may come from a caller): scrubbed from this call's telemetry only.
        // Configurations LNbits accepted are registered process-wide (LnbitsSettings.RegisterSecrets).
        Telemetry.SecretRedactor.RegisterForCall(value);
    }

    public static Secret? FromOptional(string? value) => string.IsNullOrEmpty(value) ? null : new Secret(value);

    /// <summary>The plain value, for the one place that must send it (an HTTP header, a login body).</summary>
    public string Reveal()
    {
        Telemetry.SecretRedactor.RegisterForCall(_value);
        return _value;
    }

    /// <summary><c>***</c> plus the last four characters (CONTRACT §5 <c>get_lnbits_configuration</c>).</summary>
    public string Masked() => _value.Length <= 8 ? "***" : "***" + _value[^4..];

    public override string ToString() => "***";

    public bool Equals(Secret? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as Secret);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
