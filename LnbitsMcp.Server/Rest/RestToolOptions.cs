namespace LnbitsMcp.Server.Rest;

/// <summary>The seed's REST debug route (CONTRACT §10), section <c>Http</c>.</summary>
public sealed class RestToolOptions
{
    public const string SectionName = "Http";

    /// <summary><c>POST /tools/{name}</c> is served; false answers 404 there.</summary>
    public bool EnableRestTools { get; set; } = true;
}
