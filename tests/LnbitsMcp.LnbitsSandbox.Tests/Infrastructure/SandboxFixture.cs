using Microsoft.AspNetCore.Builder;
using static LnbitsMcp.LnbitsSandbox.Tests.Infrastructure.TestLimits;

namespace LnbitsMcp.LnbitsSandbox.Tests.Infrastructure;

/// <summary>One sandbox per test class: started in-process on 127.0.0.1 with an OS-chosen port, used over real HTTP.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public SandboxClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _app = SandboxHost.Build(["--urls", "http://127.0.0.1:0"]);
        await _app.StartAsync().WaitAsync(TestTimeout);
        BaseAddress = SandboxHost.GetBaseAddress(_app);
        Client = new SandboxClient(new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = BaseAddress, Timeout = TestTimeout });
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(TestTimeout);
            await _app.DisposeAsync().AsTask().WaitAsync(TestTimeout);
        }
    }
}
