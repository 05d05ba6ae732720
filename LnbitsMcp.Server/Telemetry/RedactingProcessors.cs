using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace LnbitsMcp.Server.Telemetry;

/// <summary>Scrubs registered secrets from span tags and status descriptions (see <see cref="SecretRedactor"/>).</summary>
public sealed class RedactingActivityProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        foreach (var (key, value) in data.TagObjects.ToList())
        {
            if (value is string text && SecretRedactor.Redact(text) is var redacted && !ReferenceEquals(redacted, text))
            {
                data.SetTag(key, redacted);
            }
        }

        if (data.StatusDescription is { } status)
        {
            data.SetStatus(data.Status, SecretRedactor.Redact(status));
        }
    }
}

/// <summary>
/// Scrubs secrets from log bodies, formatted messages, attributes and exception text: registered
/// values, and the value of any attribute whose name says it is secret (libraries log
/// <c>{SessionId}</c> before we ever see that id).
/// </summary>
public sealed class RedactingLogProcessor : BaseProcessor<LogRecord>
{
    private static readonly HashSet<string> s_secretNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "sessionid", "mcpsessionid", "apikey", "password", "token", "accesstoken", "bearertoken", "preimage",
        "authorization", "secret", "confirmationtoken",
    };

    public override void OnEnd(LogRecord data)
    {
        foreach (var (key, value) in data.Attributes ?? [])
        {
            if (value is string text && s_secretNames.Contains(key.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal)))
            {
                SecretRedactor.Register(text);
            }
        }

        if (data.FormattedMessage is { } message)
        {
            data.FormattedMessage = SecretRedactor.Redact(message);
        }

        if (data.Body is { } body)
        {
            data.Body = SecretRedactor.Redact(body);
        }

        if (data.Attributes is { } attributes)
        {
            data.Attributes = [.. attributes.Select(a => KeyValuePair.Create(a.Key, SecretRedactor.RedactValue(a.Value)))];
        }

        if (data.Exception is { } exception && SecretRedactor.Redact(exception.ToString()) != exception.ToString())
        {
            data.Exception = new RedactedException(exception.GetType().FullName ?? "Exception", SecretRedactor.Redact(exception.Message));
        }
    }

    private sealed class RedactedException(string type, string message) : Exception($"{type}: {message}");
}
