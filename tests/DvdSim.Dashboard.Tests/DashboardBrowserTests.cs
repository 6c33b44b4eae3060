using System.Text.RegularExpressions;
using DvdSim.Dashboard.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DvdSim.Dashboard.Tests;

/// <summary>What a person sees in headless Chromium; each test also saves a screenshot under bin/…/screenshots.</summary>
public sealed class DashboardBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Resources_are_listed_with_their_state()
    {
        var page = await fixture.NewPage();
        try
        {
            await page.GotoAsync(Url("/resources"));
            await Expect(page.Locator("#resources-table tr[data-resource]")).ToHaveCountAsync(fixture.Monitor.Resources().Count);
            foreach (var name in BrowserFixture.WeekServices.Append("mysql"))
            {
                var row = page.Locator($"tr[data-resource=\"{name}\"]");
                await Expect(row.Locator("[data-field=state]")).ToHaveTextAsync("running");
                await Expect(row.Locator("[data-field=processId]")).ToHaveTextAsync(new Regex(@"^\d+$"));
            }
            await Expect(page.Locator("tr[data-resource=\"mysql\"] [data-field=endpoints]")).ToHaveTextAsync("tcp://127.0.0.1:3307");
            await Expect(page.Locator("#nav a[aria-current=page]")).ToHaveTextAsync("Resources");
            await BrowserFixture.Screenshot(page, "resources");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Stop_start_and_restart_buttons_call_the_monitor()
    {
        var page = await fixture.NewPage();
        try
        {
            await page.GotoAsync(Url("/resources"));
            var row = page.Locator("tr[data-resource=\"tools\"]");
            await Expect(row.Locator("button[data-action=start]")).ToBeDisabledAsync();

            await row.Locator("button[data-action=stop]").ClickAsync();
            await Expect(row.Locator("[data-field=state]")).ToHaveTextAsync("stopped");
            Assert.Contains(("stop", "tools"), fixture.Monitor.Calls);
            await Expect(row.Locator("button[data-action=stop]")).ToBeDisabledAsync();

            await row.Locator("button[data-action=start]").ClickAsync();
            await Expect(row.Locator("[data-field=state]")).ToHaveTextAsync("running");
            await row.Locator("button[data-action=restart]").ClickAsync();
            await Expect(row.Locator("[data-field=restarts]")).ToHaveTextAsync("1");
            Assert.Equal(new[] { ("stop", "tools"), ("start", "tools"), ("restart", "tools") }, fixture.Monitor.Calls.Where(c => c.Resource == "tools").ToArray());
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_weeks_chart_has_one_stacked_bar_per_week_and_a_bar_opens_the_week_trace()
    {
        var page = await fixture.NewPage();
        try
        {
            await page.GotoAsync(Url("/weeks"));
            await Expect(page.Locator("#run-picker")).ToHaveValueAsync("d1"); // the running run is shown first
            await Expect(page.Locator("#weeks-chart [data-week]")).ToHaveCountAsync(20);
            await Expect(page.Locator("#weeks-chart [data-week=\"12\"] rect[data-stage]")).ToHaveCountAsync(4);
            await Expect(page.Locator("#run-weeks")).ToHaveTextAsync("20 / 52 weeks");
            await Expect(page.Locator("#run-eta")).ToHaveTextAsync("ETA 12.5 s");
            await Expect(page.Locator("#rentals-line")).ToHaveCountAsync(1);
            // Week costs grow in the fake run: the last bar is taller than the first.
            var first = await page.Locator("#weeks-chart [data-week=\"1\"] rect[data-stage=transactions]").GetAttributeAsync("height");
            var last = await page.Locator("#weeks-chart [data-week=\"20\"] rect[data-stage=transactions]").GetAttributeAsync("height");
            Assert.True(double.Parse(last!) > double.Parse(first!));
            await BrowserFixture.Screenshot(page, "weeks");

            await page.Locator("#run-picker").SelectOptionAsync("d0");
            await Expect(page.Locator("#weeks-chart [data-week]")).ToHaveCountAsync(8);
            await Expect(page.Locator("#run-eta")).ToHaveTextAsync("finished");
            await page.Locator("#run-picker").SelectOptionAsync("d1");
            await Expect(page.Locator("#weeks-chart [data-week]")).ToHaveCountAsync(20);

            await page.Locator("#weeks-chart [data-week=\"3\"]").ClickAsync();
            await Expect(page).ToHaveURLAsync(Url($"/traces/{fixture.WeekTraceId}"));
            await Expect(page.Locator("#waterfall .span-row")).ToHaveCountAsync(fixture.WeekSpanCount);
            foreach (var service in BrowserFixture.WeekServices)
            {
                await Expect(page.Locator($"#waterfall .span-row[data-service=\"{service}\"]").First).ToBeVisibleAsync();
            }
            var root = page.Locator("#waterfall .span-row[data-depth=\"0\"]");
            await Expect(root).ToHaveCountAsync(1);
            await Expect(root.Locator(".span-label")).ToHaveTextAsync("coordinatorweek 3");
            await Expect(page.Locator("#waterfall .span-row[data-name=\"payments.insert\"] .span-label")).ToHaveTextAsync("paymentspayments.insert");
            // Indented by parent: payments.insert is seven hops (publish, receive, …) below the week span.
            await Expect(page.Locator("#waterfall .span-row[data-name=\"payments.insert\"]")).ToHaveAttributeAsync("data-depth", "7");
            await Expect(page.Locator("#trace-title")).ToHaveTextAsync("week 3");

            await page.Locator("#waterfall .span-row[data-name=\"week 3\"]").ClickAsync();
            await Expect(page.Locator("#span-detail")).ToContainTextAsync("dvdsim.database");
            await BrowserFixture.Screenshot(page, "trace");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_weeks_page_follows_a_run_in_progress()
    {
        var page = await fixture.NewPage();
        var runs = fixture.Coordinator.Runs;
        var weeks = fixture.Coordinator.Weeks;
        try
        {
            await page.GotoAsync(Url("/weeks?run=d1"));
            await Expect(page.Locator("#weeks-chart [data-week]")).ToHaveCountAsync(20);

            fixture.Coordinator.Runs =
            [
                runs[0],
                new { database = "d1", scenario = "standard-3y", state = "running", weeksDone = 21, weeksTarget = 52, rentals = 9_000, startedAt = "2026-11-23T12:00:00Z", etaSeconds = (double?)null },
            ];
            fixture.Coordinator.Weeks = new(weeks) { ["d1"] = FakeCoordinator.WeeksOf(21, _ => null) };

            await Expect(page.Locator("#weeks-chart [data-week]")).ToHaveCountAsync(21);
            await Expect(page.Locator("#run-weeks")).ToHaveTextAsync("21 / 52 weeks");
            await Expect(page.Locator("#run-rentals")).ToHaveTextAsync("9,000 rentals");
            // Without an ETA from the coordinator, the page estimates one from recent weeks.
            await Expect(page.Locator("#run-eta")).ToHaveTextAsync(new Regex(@"^ETA \d"));
        }
        finally
        {
            fixture.Coordinator.Runs = runs;
            fixture.Coordinator.Weeks = weeks;
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_logs_page_filtered_by_one_resource_shows_only_its_logs()
    {
        var page = await fixture.NewPage();
        try
        {
            await page.GotoAsync(Url("/logs"));
            await Expect(page.Locator("tr.log-row")).ToHaveCountAsync(5);

            await page.Locator("#filter-service").SelectOptionAsync("inventory");
            await Expect(page.Locator("tr.log-row")).ToHaveCountAsync(3);
            Assert.All(await page.Locator("tr.log-row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.service)"), s => Assert.Equal("inventory", s));
            await Expect(page.Locator("tr.log-row").First).ToContainTextAsync("copies damaged");
            await Expect(page).ToHaveURLAsync(new Regex(@"/logs\?service=inventory$"));
            await BrowserFixture.Screenshot(page, "logs");

            await page.Locator("#filter-service").SelectOptionAsync("transactions");
            await page.Locator("#filter-level").SelectOptionAsync("Warning");
            await Expect(page.Locator("tr.log-row")).ToHaveCountAsync(1);
            await Expect(page.Locator("tr.log-row")).ToContainTextAsync("customer 42 has overdue rentals");

            await page.Locator("#filter-service").SelectOptionAsync("");
            await page.Locator("#filter-level").SelectOptionAsync("");
            await page.Locator("#filter-text").FillAsync("released");
            await Expect(page.Locator("tr.log-row")).ToHaveCountAsync(1);
            await Expect(page.Locator("tr.log-row")).ToHaveAttributeAsync("data-service", "inventory");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_traces_page_lists_the_week_with_its_services_and_filters()
    {
        var page = await fixture.NewPage();
        try
        {
            await page.GotoAsync(Url("/traces"));
            var row = page.Locator($"tr.trace-row[data-trace-id=\"{fixture.WeekTraceId}\"]");
            await Expect(row.Locator(".trace-link")).ToHaveTextAsync("week 3");
            await Expect(row.Locator(".chip")).ToHaveTextAsync(BrowserFixture.WeekServices);
            await Expect(row).ToContainTextAsync(fixture.WeekSpanCount.ToString());
            await BrowserFixture.Screenshot(page, "traces");

            await page.Locator("#filter-min-duration").FillAsync("100000");
            await Expect(page.Locator("tr.trace-row")).ToHaveCountAsync(0);
            await page.Locator("#filter-min-duration").FillAsync("");
            await page.Locator("#filter-name").FillAsync("no such span");
            await Expect(page.Locator("tr.trace-row")).ToHaveCountAsync(0);
            await page.Locator("#filter-name").FillAsync("WEEK");
            await Expect(page.Locator("tr.trace-row")).ToHaveCountAsync(1);
            await page.Locator("#filter-service").SelectOptionAsync("payments");
            await Expect(page.Locator("tr.trace-row")).ToHaveCountAsync(1);

            await row.Locator(".trace-link").ClickAsync();
            await Expect(page.Locator("#waterfall .span-row")).ToHaveCountAsync(fixture.WeekSpanCount);

            await page.GotoAsync(Url("/traces/" + new string('7', 32)));
            await Expect(page.Locator("#status")).ToContainTextAsync("has not arrived yet");
            await Expect(page.Locator("#waterfall .span-row")).ToHaveCountAsync(0);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_console_shows_a_resource_s_lines_live()
    {
        var page = await fixture.NewPage();
        try
        {
            await page.GotoAsync(Url("/console?resource=inventory"));
            await Expect(page.Locator("#resource-picker")).ToHaveValueAsync("inventory");
            await Expect(page.Locator("#console-output .console-line")).ToHaveCountAsync(2);
            await Expect(page.Locator("#console-output .console-line.stderr")).ToContainTextAsync("stock for film 17 is low");
            await Expect(page.Locator("#status")).ToHaveTextAsync("live");

            fixture.Monitor.WriteConsole("inventory", "week 21 started");
            await Expect(page.Locator("#console-output .console-line").Last).ToContainTextAsync("week 21 started");
            await BrowserFixture.Screenshot(page, "console");

            await page.Locator("#resource-picker").SelectOptionAsync("payments");
            await Expect(page.Locator("#console-output .console-line")).ToHaveCountAsync(0);
            fixture.Monitor.WriteConsole("payments", "batch of 1000 written");
            await Expect(page.Locator("#console-output .console-line")).ToHaveTextAsync(new Regex("batch of 1000 written$"));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_metrics_page_shows_rates_week_duration_and_memory_per_service()
    {
        var page = await fixture.NewPage();
        try
        {
            await page.GotoAsync(Url("/metrics"));
            var rentals = page.Locator("[data-metric-key=\"rentals-per-second\"]");
            await Expect(rentals).ToHaveAttributeAsync("data-service", "transactions");
            await Expect(rentals.Locator(".value")).ToHaveTextAsync(new Regex(@"^[\d.,]+ /s$"));
            await Expect(page.Locator("[data-metric-key=\"payments-per-second\"]")).ToHaveCountAsync(1);
            await Expect(page.Locator("[data-metric-key=\"week-duration\"] .value")).ToHaveTextAsync("41.0 ms");
            await Expect(page.Locator("#memory-table tbody tr")).ToHaveCountAsync(4);
            await Expect(page.Locator("#memory-table tr[data-service=\"inventory\"]")).ToContainTextAsync("63.9 MiB");
            await Expect(page.Locator("#metrics-table tr[data-metric=\"dvdsim.rentals\"]")).ToHaveCountAsync(1);
            await BrowserFixture.Screenshot(page, "metrics");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Without_the_token_the_browser_gets_the_login_page_and_can_log_in()
    {
        var page = await fixture.NewPage(loggedIn: false);
        try
        {
            var response = await page.GotoAsync(Url("/weeks?run=d0"));
            Assert.Equal(401, response!.Status);
            await Expect(page.Locator("#login-form")).ToBeVisibleAsync();
            await BrowserFixture.Screenshot(page, "login");

            await page.Locator("#login-token").FillAsync("not the token");
            await page.Locator("#login-submit").ClickAsync();
            await Expect(page.Locator("#login-error")).ToBeVisibleAsync();

            await page.Locator("#login-token").FillAsync(fixture.Dashboard.BrowserToken);
            await page.Locator("#login-submit").ClickAsync();
            await Expect(page).ToHaveURLAsync(Url("/weeks?run=d0"));
            await Expect(page.Locator("#weeks-chart [data-week]")).ToHaveCountAsync(8);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private string Url(string path) => new Uri(fixture.Dashboard.FrontendUrl, path).ToString();
}
