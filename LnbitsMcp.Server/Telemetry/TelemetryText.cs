namespace LnbitsMcp.Server.Telemetry;

/// <summary>The one scrub every log line, attribute and span tag goes through: secret names, then registered values.</summary>
public static class TelemetryText
{
    public static string Scrub(string text) => SecretRedactor.Redact(SecretNames.ScrubNamedValues(text));

    /// <summary>A log attribute or span tag value: masked whole when its name is secret, else scrubbed (lists element by element).</summary>
    public static object? ScrubValue(string name, object? value) => value switch
    {
        null => null,
        string { Length: 0 } => value,
        _ when SecretNames.IsSecret(name) => SecretRedactor.Mask,
        string text => Scrub(text),
        IEnumerable<string?> texts => texts.Select(t => t is null ? null : Scrub(t)).ToArray(),
        _ => value,
    };
}
