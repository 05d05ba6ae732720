namespace LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;

/// <summary>The bound on every await in these tests.</summary>
public static class TestLimits
{
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);
}
