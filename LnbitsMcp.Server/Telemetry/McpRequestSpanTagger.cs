using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using OpenTelemetry;

namespace LnbitsMcp.Server.Telemetry;

/// <summary>
/// Gives the server's HTTP request span the MCP method and tool of the message it carries (the SDK's
/// own span, named <c>tools/call decode_invoice</c>, starts while the request is handled — as a child
/// of the client's span when the message carries trace context in <c>_meta</c>, so the two are matched
/// through the current request, not by parentage), so the service defaults name it after them. Only
/// POST requests are tagged: a legacy <c>GET /sse</c> stream carries many calls and keeps its name.
/// </summary>
public sealed class McpRequestSpanTagger(IHttpContextAccessor httpContextAccessor) : BaseProcessor<Activity>
{
    public override void OnStart(Activity data)
    {
        if (data.Kind != ActivityKind.Server || data.Source.Name != TelemetryNames.SdkSourceName
            || httpContextAccessor.HttpContext is not { } http || !HttpMethods.IsPost(http.Request.Method)
            || http.Features.Get<IHttpActivityFeature>()?.Activity is not { } request)
        {
            return;
        }

        var name = data.DisplayName;
        var space = name.IndexOf(' ', StringComparison.Ordinal);
        McpSpanNames.Tag(request, space < 0 ? name : name[..space], space < 0 ? null : name[(space + 1)..]);
    }
}
