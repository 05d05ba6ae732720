namespace LnbitsMcp.Server.Telemetry;

/// <summary>Names of our spans' tags, metrics and sources (CONTRACT §6).</summary>
public static class TelemetryNames
{
    public const string SourceName = "LnbitsMcp";
    public const string MeterName = "LnbitsMcp";
    public const string SdkSourceName = "Experimental.ModelContextProtocol";
    public const string SessionTag = "lnbits_mcp.session";
    public const string ToolNameTag = "mcp.tool.name";
    public const string ErrorCodeTag = "lnbits_mcp.error_code";
}
