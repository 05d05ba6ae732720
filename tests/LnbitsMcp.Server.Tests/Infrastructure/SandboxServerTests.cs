using LnbitsMcp.Testing;

namespace LnbitsMcp.Server.Tests.Infrastructure;

/// <summary>A test class with its own LNbits sandbox and server (in process, real ports), started once.</summary>
public abstract class SandboxServerTests : IAsyncLifetime
{
    protected Sandbox Sandbox { get; private set; } = null!;

    protected ServerHost Server { get; private set; } = null!;

    /// <summary>Server configuration for this class (e.g. payment limits).</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public virtual async ValueTask InitializeAsync()
    {
        Sandbox = await Sandbox.StartAsync();
        Server = await ServerHost.StartAsync(Settings);
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
