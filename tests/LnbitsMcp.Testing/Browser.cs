using Microsoft.Playwright;

namespace LnbitsMcp.Testing;

/// <summary>
/// Debian's headless Chromium (<c>/usr/bin/chromium</c>, installed by test.sh) driven by Playwright for .NET.
/// Playwright never downloads a browser here: it is pointed at that executable.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly string[] s_arguments =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly IPlaywright _playwright;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Chromium = browser;
    }

    public IBrowser Chromium { get; }

    public static async Task<Browser> StartAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_BROWSERS_PATH", "0");
        var playwright = await Playwright.CreateAsync().WaitAsync(Timeout);
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = s_arguments,
            Timeout = (float)Timeout.TotalMilliseconds,
        }).WaitAsync(Timeout);
        return new Browser(playwright, browser);
    }

    /// <summary>A fresh browser profile: its own cookies, as a different person's browser would have.</summary>
    public async Task<IBrowserContext> NewProfileAsync()
    {
        var context = await Chromium.NewContextAsync().WaitAsync(Timeout);
        context.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        return context;
    }

    /// <summary>
    /// Opens <paramref name="url"/> and waits until the browser is sent to an address starting with
    /// <paramref name="redirectPrefix"/> (which nobody needs to serve): the redirect is caught, not followed.
    /// <paramref name="act"/> fills and submits the page.
    /// </summary>
    public static async Task<Uri> FollowUntilRedirectAsync(IPage page, Uri url, string redirectPrefix, Func<IPage, Task> act)
    {
        var redirected = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(redirectPrefix + "**", async route =>
        {
            redirected.TrySetResult(new Uri(route.Request.Url));
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/plain", Body = "redirect caught by the test" });
        });
        await page.GotoAsync(url.AbsoluteUri).WaitAsync(Timeout);
        await act(page).WaitAsync(Timeout);
        try
        {
            return await redirected.Task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No redirect to {redirectPrefix}; the browser shows {page.Url}: {await page.InnerTextAsync("body")}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Chromium.CloseAsync();
        _playwright.Dispose();
    }
}
