using Microsoft.Playwright;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium (test.sh installs the <c>chromium</c> package), headless, driven by Playwright: no browser
/// download. One browser process serves a whole test collection; every test gets a context of its own, so no
/// cookie or storage crosses from one test to another. A browser test is a class in <see cref="BrowserCollection"/>
/// taking this fixture, and <c>await using var browser = await chromium.OpenAsync();</c>.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: run the tests with ./test.sh, which installs Debian's chromium package.");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Args = ["--no-sandbox"] });
    }

    /// <summary>
    /// A phone as the product's users hold it: 375×812, touch, WeChat's in-app browser user agent and a Chinese
    /// locale (its Accept-Language), unless <paramref name="acceptLanguage"/> names another.
    /// </summary>
    public static BrowserNewContextOptions WeChatPhone(string? acceptLanguage = null) => new()
    {
        ViewportSize = new() { Width = 375, Height = 812 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
        Locale = acceptLanguage?.Split(',')[0].Split(';')[0] ?? "zh-CN",
        UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323b) NetType/WIFI Language/zh_CN",
        ExtraHTTPHeaders = acceptLanguage is null ? null : new Dictionary<string, string> { ["Accept-Language"] = acceptLanguage },
    };

    /// <summary>A new page in a fresh browser context (a desktop one unless options say otherwise), closed with the returned object.</summary>
    public async Task<BrowserPage> OpenAsync(BrowserNewContextOptions? options = null)
    {
        var browser = _browser ?? throw new InvalidOperationException("The browser is not started.");
        var context = await browser.NewContextAsync(options);
        return new BrowserPage(context, await context.NewPageAsync());
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>Browser tests share one Chromium and run one at a time (the machines have two cores).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "Browser";
}

/// <summary>One tab, as a person sees it: where it is, what it shows, and the element ids to click.</summary>
public sealed class BrowserPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public IPage Page => page;

    public Task GoToAsync(string url) => page.GotoAsync(url, new() { Timeout = (float)Patience.TotalMilliseconds });

    /// <summary>Clicks the element with this id as a user would: Playwright waits until it is visible and enabled.</summary>
    public Task ClickAsync(string elementId) =>
        page.Locator($"[id=\"{elementId}\"]").ClickAsync(new() { Timeout = (float)Patience.TotalMilliseconds });

    /// <summary>
    /// Waits until the location satisfies the condition and that page has loaded; returns the location.
    /// </summary>
    /// <remarks>
    /// Playwright's WaitForURLAsync reads the location and then listens for the next navigation; a navigation that
    /// commits between the two is missed and the wait runs out its whole timeout (seen once in CI on a fast
    /// machine). So the wait is made of short ones, each starting from a fresh look at the location.
    /// </remarks>
    public async Task<string> WaitForLocationAsync(Func<string, bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (condition(page.Url))
            {
                await page.WaitForLoadStateAsync(LoadState.Load, new() { Timeout = (float)Patience.TotalMilliseconds });
                return page.Url;
            }

            if (waited.Elapsed >= Patience)
            {
                throw new TimeoutException($"The browser did not reach the expected location within {Patience.TotalSeconds} s; it is on {page.Url}.");
            }

            try
            {
                await page.WaitForURLAsync(condition, new() { Timeout = 1000, WaitUntil = WaitUntilState.Commit });
            }
            catch (TimeoutException)
            {
                // Look at the location again: the navigation may have committed before the wait began listening.
            }
        }
    }

    /// <summary>The page's visible text (for a JSON response: the JSON).</summary>
    public Task<string> TextAsync() => page.InnerTextAsync("body");

    public Task<string> HtmlAsync() => page.ContentAsync();

    /// <summary>Runs a script in the page and returns its JSON-serialisable result.</summary>
    public Task<T> EvaluateAsync<T>(string expression) => page.EvaluateAsync<T>(expression);

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
