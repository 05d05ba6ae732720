using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LnbitsMcp.Server.Lnbits;

/// <summary>
/// LNbits sends datetimes as ISO-8601 strings (v1+); older versions sent unix seconds. Both are read.
/// </summary>
public sealed class FlexibleTimestampConverter : JsonConverter<DateTimeOffset?>
{
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt64(out var seconds):
                return DateTimeOffset.FromUnixTimeSeconds(seconds);
            case JsonTokenType.Number:
                return DateTimeOffset.FromUnixTimeMilliseconds((long)(reader.GetDouble() * 1000));
            case JsonTokenType.String:
                var text = reader.GetString();
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix))
                {
                    return DateTimeOffset.FromUnixTimeSeconds(unix);
                }

                return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                    ? parsed
                    : null;
            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value.Value.ToString("O", CultureInfo.InvariantCulture));
        }
    }
}
