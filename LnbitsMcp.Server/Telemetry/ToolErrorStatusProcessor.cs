using System.Diagnostics;
using LnbitsMcp.Server.Mcp;
using OpenTelemetry;

namespace LnbitsMcp.Server.Telemetry;

/// <summary>
/// The SDK marks every <c>isError</c> tool result as a failed span. Only our faults are failures
/// (<c>internal_error</c>, <c>service_unavailable</c>); a user's <c>limit_exceeded</c> or
/// <c>invalid_invoice</c> is an answer: its span keeps the error code tag but is not an error.
/// </summary>
public sealed class ToolErrorStatusProcessor : BaseProcessor<Activity>
{
    private const string ErrorTypeTag = "error.type";

    public override void OnEnd(Activity data)
    {
        if (data.Source.Name != TelemetryNames.SdkSourceName || data.GetTagItem(TelemetryNames.ErrorCodeTag) is not string code)
        {
            return;
        }

        if (code is ToolErrorCodes.InternalError or ToolErrorCodes.ServiceUnavailable)
        {
            data.SetStatus(ActivityStatusCode.Error, code);
        }
        else
        {
            data.SetStatus(ActivityStatusCode.Unset);
            data.SetTag(ErrorTypeTag, null);
        }
    }
}
