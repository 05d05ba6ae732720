namespace LnbitsMcp.AppHost.Tests;

/// <summary>
/// Test classes that start a whole AppHost run one after another: the README's run command uses
/// the launch profiles' fixed ports (8080, 8443, 5180, 15180), which a second AppHost would share.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AppHostCollection
{
    public const string Name = "Whole AppHost";
}
