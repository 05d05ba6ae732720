using LnbitsMcp.LnbitsSandbox.Settings;

namespace LnbitsMcp.LnbitsSandbox;

/// <summary>Start-up options of a sandbox instance (runtime behaviour lives in <see cref="SandboxSettings"/>).</summary>
public sealed class SandboxOptions
{
    /// <summary>Settings the sandbox starts with and returns to on <c>POST /sandbox/settings/reset</c>.</summary>
    public SandboxSettings InitialSettings { get; set; } = new();

    /// <summary>Create the demo user and the wallets alice and bob once the server listens, and print them.</summary>
    public bool SeedDemoData { get; set; }

    /// <summary>Where the demo banner goes (default: standard output).</summary>
    public TextWriter? DemoOutput { get; set; }

    /// <summary>LNbits' <c>lnbits_site_title</c>: the default invoice memo.</summary>
    public string SiteTitle { get; set; } = "LNbits";
}
