namespace LnbitsMcp.Server.Telemetry;

/// <summary>The one scrub every log line, attribute and span tag of the server goes through: secret names, then known secrets.</summary>
public static class TelemetryText
{
    public static string Scrub(string text) => SecretRedactor.Redact(SecretNames.ScrubNamedValues(text));

    /// <summary>A log attribute or span tag value: masked whole when its name is secret, else scrubbed (lists element by element).</summary>
    public static object? ScrubValue(string name, object? value) => SecretNames.ScrubValue(name, value, Scrub);
}
