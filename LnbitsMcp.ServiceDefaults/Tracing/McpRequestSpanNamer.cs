using System.Diagnostics;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Names an HTTP request span after the MCP message it carried (tags set by <see cref="McpSpanNames.Tag"/>)
/// when it ends — after ASP.NET Core has given it its route name.
/// </summary>
public sealed class McpRequestSpanNamer : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.Source.Name == Extensions.AspNetCoreSource && McpSpanNames.SpanName(data) is { } name)
        {
            data.DisplayName = name;
        }
    }
}
