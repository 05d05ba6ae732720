using System.Diagnostics;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Exports a background root span (recorded only, see <see cref="RequestRootSampler"/>) when it ended
/// in error: a failing health probe or Redis call still shows as a trace. Runs before the exporters.
/// </summary>
public sealed class FailedBackgroundSpanProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (!data.Recorded && data.IsAllDataRequested && data.Status == ActivityStatusCode.Error)
        {
            data.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        }
    }
}
