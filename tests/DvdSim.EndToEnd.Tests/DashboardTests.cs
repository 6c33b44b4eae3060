using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DvdSim.EndToEnd.Tests;

/// <summary>
/// The dashboard during real runs, in headless Chromium, as a person sees it. Every test saves a
/// screenshot under bin/…/screenshots.
/// </summary>
[Collection(SimulatedRuns.Collection)]
public sealed class DashboardTests(SimulatedRuns runs) : IAsyncLifetime
{
    private static readonly string[] WeekServices = ["coordinator", "inventory", "transactions", "payments"];
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;

    public static string Screenshots => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(30_000);
        Directory.CreateDirectory(Screenshots);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        _page = await context.NewPageAsync();
        _page.SetDefaultTimeout(20_000);
        await _page.GotoAsync(runs.Dashboard.LoginUrl.ToString());
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    [Fact]
    public async Task The_services_are_listed_as_running()
    {
        await _page.GotoAsync(Url("/resources"));
        foreach (var service in WeekServices.Append("schema"))
        {
            var row = _page.Locator($"tr[data-resource=\"{service}\"]");
            await Expect(row.Locator("[data-field=state]")).ToHaveTextAsync("running");
            await Expect(row.Locator("[data-field=processId]")).ToHaveTextAsync(new Regex(@"^\d+$"));
        }
        await Shot("resources");
    }

    [Fact]
    public async Task The_weeks_chart_has_one_bar_per_week_and_a_bar_opens_the_week_trace_across_four_services()
    {
        await _page.GotoAsync(Url($"/weeks?run={runs.Main}"));
        await Expect(_page.Locator("#weeks-chart [data-week]")).ToHaveCountAsync(SimulatedRuns.StandardWeeks);
        await Expect(_page.Locator("#run-state")).ToHaveTextAsync(new Regex("completed"));
        await Shot("weeks");

        await _page.Locator("#weeks-chart g.week-bar[data-week=\"30\"]").ClickAsync();
        await _page.WaitForURLAsync(new Regex("/traces/[0-9a-f]{32}"));
        foreach (var service in WeekServices)
            await Expect(_page.Locator($"#waterfall .span-row[data-service=\"{service}\"]").First).ToBeVisibleAsync();
        await Shot("week-trace");
    }

    [Fact]
    public async Task Logs_filtered_by_one_service_show_only_that_service()
    {
        await _page.GotoAsync(Url("/logs?service=transactions"));
        var rows = _page.Locator("tr.log-row");
        await Expect(rows.First).ToBeVisibleAsync();
        var services = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.service)");
        Assert.NotEmpty(services);
        Assert.All(services, s => Assert.Equal("transactions", s));
        await Shot("logs-transactions");
    }

    [Fact]
    public async Task Traces_and_metrics_pages_show_the_pipeline()
    {
        await _page.GotoAsync(Url("/traces?name=week"));
        await Expect(_page.Locator("tr.trace-row").First).ToBeVisibleAsync();
        await Shot("traces");
        await _page.GotoAsync(Url("/metrics"));
        await Expect(_page.Locator(".metric-card[data-metric-key=\"week-duration\"]")).ToBeVisibleAsync();
        await Expect(_page.Locator("#memory-table tr[data-service=\"transactions\"]")).ToBeVisibleAsync();
        await Shot("metrics");
    }

    private string Url(string path) => new Uri(runs.Dashboard.FrontendUrl, path).ToString();

    private Task Shot(string name) =>
        _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
}
