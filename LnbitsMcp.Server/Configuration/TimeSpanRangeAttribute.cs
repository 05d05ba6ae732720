using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace LnbitsMcp.Server.Configuration;

/// <summary>
/// A setting's duration must lie between two bounds (inclusive), written as <see cref="TimeSpan"/> text
/// (<c>"00:00:01"</c>, <c>"30.00:00:00"</c>). Instead of <c>[Range(typeof(TimeSpan), …)]</c>: that attribute parses
/// its bounds the first time it validates and replaces them as it goes, so two hosts validating their options at
/// once (the tests start several in one process) could read a bound half converted and fail with an
/// <see cref="InvalidCastException"/> (dotnet/runtime#1143). These bounds are parsed once, when the attribute is made.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class TimeSpanRangeAttribute(string minimum, string maximum) : ValidationAttribute("The field {0} must be between {1} and {2}.")
{
    public TimeSpan Minimum { get; } = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);

    public TimeSpan Maximum { get; } = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);

    /// <summary>Null is valid (as with <see cref="RangeAttribute"/>: <see cref="RequiredAttribute"/> says whether a value must be there).</summary>
    public override bool IsValid(object? value) => value is null || (value is TimeSpan duration && duration >= Minimum && duration <= Maximum);

    public override string FormatErrorMessage(string name) =>
        string.Format(CultureInfo.CurrentCulture, ErrorMessageString, name, Minimum.ToString("c", CultureInfo.InvariantCulture), Maximum.ToString("c", CultureInfo.InvariantCulture));
}
