using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A trace starts where someone asked for something: an incoming request (a server span) is always
/// recorded, whatever sampling flag a caller sent (a caller must not be able to hide its
/// calls from the operator). Spans below a recorded span are recorded. Work nobody asked for — health
/// probes, Redis PINGs, periodic counts, key-ring refreshes — starts no trace: it is only recorded in
/// memory, and <see cref="FailedBackgroundSpanProcessor"/> exports such a root span when it fails.
/// Requests to <c>/health</c> and <c>/alive</c> (a load balancer's or the edge's probes) are not recorded at all:
/// ASP.NET Core gives its request span the <c>url.path</c> tag before it is sampled.
/// </summary>
public sealed class RequestRootSampler : Sampler
{
    private static readonly SamplingResult s_sample = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult s_recordOnly = new(SamplingDecision.RecordOnly);
    private static readonly SamplingResult s_drop = new(SamplingDecision.Drop);

    /// <summary>The name ASP.NET Core gives its request span (the activity it starts for every request it hosts).</summary>
    internal const string AspNetCoreRequestSpanName = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        // Not Consumer: YARP's periodic health probing starts its traces as consumer spans.
        if (samplingParameters.Kind == ActivityKind.Server)
        {
            // Only ASP.NET Core's request span can be a probe's; the MCP SDK's server spans are not asked for their tags.
            return samplingParameters.Name == AspNetCoreRequestSpanName && IsHealthProbe(samplingParameters.Tags) ? s_drop : s_sample;
        }

        var parent = samplingParameters.ParentContext;
        if (parent.TraceId == default)
        {
            return s_recordOnly;
        }

        return (parent.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? s_sample : s_drop;
    }

    private static bool IsHealthProbe(IEnumerable<KeyValuePair<string, object?>>? tags)
    {
        if (tags is IReadOnlyList<KeyValuePair<string, object?>> list)
        {
            // ASP.NET Core hands its tags over as a TagList: read by index, no enumerator boxed per request.
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i].Key == UrlPathTag)
                {
                    return IsHealthPath(list[i].Value);
                }
            }

            return false;
        }

        foreach (var (name, value) in tags ?? [])
        {
            if (name == UrlPathTag)
            {
                return IsHealthPath(value);
            }
        }

        return false;
    }

    private const string UrlPathTag = "url.path";

    private static bool IsHealthPath(object? value) =>
        value is string path && path.StartsWith('/') && Extensions.IsHealthPath(new PathString(path));
}
