using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace LnbitsMcp.Server.Telemetry;

/// <summary>Scrubs span tags (text and lists of text, tags named like secrets masked) and status descriptions (see <see cref="TelemetryText"/>).</summary>
public sealed class RedactingActivityProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        List<KeyValuePair<string, object?>>? changes = null; // tags cannot change while they are enumerated
        foreach (ref readonly var tag in data.EnumerateTagObjects())
        {
            if (tag.Value is { } value && TelemetryText.ScrubValue(tag.Key, value) is var scrubbed && !Same(value, scrubbed))
            {
                (changes ??= []).Add(KeyValuePair.Create(tag.Key, scrubbed));
            }
        }

        foreach (var (key, scrubbed) in changes ?? [])
        {
            data.SetTag(key, scrubbed);
        }

        if (data.StatusDescription is { } status)
        {
            data.SetStatus(data.Status, TelemetryText.Scrub(status));
        }
    }

    private static bool Same(object value, object? scrubbed) =>
        ReferenceEquals(value, scrubbed) || (value is string text && scrubbed is string other && text == other)
        || (value is IEnumerable<string?> texts && scrubbed is IEnumerable<string?> others && texts.SequenceEqual(others));
}

/// <summary>
/// The exporter's own pass over log records (the logger factory already scrubbed what our loggers
/// wrote; this also covers records created around it): bodies, formatted messages, attributes, exceptions.
/// </summary>
public sealed class RedactingLogProcessor : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord data)
    {
        if (data.FormattedMessage is { } message)
        {
            data.FormattedMessage = TelemetryText.Scrub(message);
        }

        if (data.Body is { } body)
        {
            data.Body = TelemetryText.Scrub(body);
        }

        if (data.Attributes is { } attributes)
        {
            data.Attributes = [.. attributes.Select(a => KeyValuePair.Create(a.Key, a.Key == "{OriginalFormat}" ? a.Value : TelemetryText.ScrubValue(a.Key, a.Value)))];
        }

        data.Exception = RedactedException.Of(data.Exception, TelemetryText.Scrub);
    }
}
