using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LnbitsMcp.LnbitsSandbox.Json;

/// <summary>Datetimes as pydantic v1 writes them: ISO-8601 UTC with offset, microseconds only when non-zero.</summary>
internal static class LnbitsTime
{
    public static DateTimeOffset Now(TimeProvider clock) => Truncate(clock.GetUtcNow());

    /// <summary>Drops sub-microsecond ticks, as Python datetimes have microsecond precision.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % 10, TimeSpan.Zero);
    }

    public static string Format(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        var format = utc.Ticks % TimeSpan.TicksPerSecond / 10 == 0
            ? "yyyy-MM-dd'T'HH:mm:ss'+00:00'"
            : "yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'";
        return utc.ToString(format, CultureInfo.InvariantCulture);
    }
}

internal sealed class LnbitsTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? string.Empty, CultureInfo.InvariantCulture);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(LnbitsTime.Format(value));
}
