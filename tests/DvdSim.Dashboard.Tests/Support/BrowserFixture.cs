using System.Diagnostics;
using DvdSim.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace DvdSim.Dashboard.Tests.Support;

/// <summary>
/// One dashboard with a fake orchestrator, a fake coordinator serving a 20-week run, and real OTLP telemetry of one
/// simulated week (spans from coordinator, inventory, transactions and payments; logs from inventory and transactions;
/// metrics), plus Debian's Chromium driven by Playwright.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string[] WeekServices = ["coordinator", "inventory", "transactions", "payments"];

    private IPlaywright? _playwright;
    // The simulated services stay up for the whole fixture: disposing a meter provider exports once more.
    private readonly List<ServiceTelemetry> _services = new();

    internal FakeResourceMonitor Monitor { get; } = new("schema", "inventory", "transactions", "payments", "coordinator", "tools");
    internal FakeCoordinator Coordinator { get; private set; } = null!;
    public DashboardServer Dashboard { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string WeekTraceId { get; private set; } = "";
    public int WeekSpanCount { get; private set; }

    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Monitor.Add(new ResourceSnapshot("mysql", "mariadb", ResourceState.Running, 3999, ["tcp://127.0.0.1:3307"], DateTimeOffset.UtcNow.AddMinutes(-3), 0, null));
        Monitor.WriteConsole("inventory", "info: DvdSim.InventoryService[0] Now listening on: http://127.0.0.1:5101");
        Monitor.WriteConsole("inventory", "warn: stock for film 17 is low", isError: true);

        Coordinator = await FakeCoordinator.StartAsync();
        Dashboard = await DashboardServer.StartAsync(TestDashboard.Options(), Monitor, () => Coordinator.BaseUrl);
        SendWeekTelemetry();

        var rng = new Random(7);
        string RandomTraceId() { var bytes = new byte[16]; rng.NextBytes(bytes); return Convert.ToHexStringLower(bytes); }
        Coordinator.Runs =
        [
            new { database = "d0", scenario = "tiny", state = "completed", weeksDone = 8, weeksTarget = 8, rentals = 3_000, startedAt = "2026-11-23T11:00:00Z", etaSeconds = (double?)null },
            new { database = "d1", scenario = "standard-3y", state = "running", weeksDone = 20, weeksTarget = 52, rentals = 8_600, startedAt = "2026-11-23T12:00:00Z", etaSeconds = (double?)12.5 },
        ];
        Coordinator.Weeks = new()
        {
            ["d0"] = FakeCoordinator.WeeksOf(8, _ => RandomTraceId()),
            ["d1"] = FakeCoordinator.WeeksOf(20, week => week == 3 ? WeekTraceId : RandomTraceId()),
        };

        await Eventually.True(() => Dashboard.Telemetry.Traces.Spans(WeekTraceId)?.Count == WeekSpanCount, "the week's spans");
        await Eventually.True(() => Dashboard.Telemetry.Logs.Count == 5, "the logs");
        await Eventually.True(() => Dashboard.Telemetry.Metrics.Series(name: "dvdsim.rentals").Sum(s => s.Points.Count) == 2, "the metrics");

        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser context (own cookies); logged in unless told otherwise. Dispose the context when done.</summary>
    public async Task<IPage> NewPage(bool loggedIn = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(10_000);
        if (loggedIn) await page.GotoAsync(Dashboard.LoginUrl.ToString());
        return page;
    }

    public static Task Screenshot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        foreach (var service in _services) service.Dispose(); // their last export still finds the dashboard
        if (Dashboard is not null) await Dashboard.DisposeAsync();
        if (Coordinator is not null) await Coordinator.DisposeAsync();
    }

    // Week 3 the way the pipeline would trace it: coordinator → inventory → transactions → payments → coordinator.
    private void SendWeekTelemetry()
    {
        var services = WeekServices.ToDictionary(name => name, name => new ServiceTelemetry(Dashboard.OtlpEndpoint, name));
        _services.AddRange(services.Values);
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        var spanCount = 0;
        Activity Span(string service, string name, ActivityKind kind, ActivityContext parent, double fromMs, double toMs)
        {
            var activity = services[service].ActivitySource.StartActivity(name, kind, parent, startTime: start.AddMilliseconds(fromMs))!;
            activity.SetEndTime(start.AddMilliseconds(toMs).UtcDateTime);
            spanCount++;
            return activity;
        }

        var week = Span("coordinator", "week 3", ActivityKind.Internal, default, 0, 42);
        week.SetTag("dvdsim.database", "d1");
        week.SetTag("dvdsim.week", 3);
        WeekTraceId = week.TraceId.ToHexString();
        var published = Span("coordinator", "WeekStarted publish", ActivityKind.Producer, week.Context, 0.2, 0.8);
        var inventory = Span("inventory", "WeekStarted receive", ActivityKind.Consumer, published.Context, 1, 6);
        var purchase = Span("inventory", "inventory.purchase", ActivityKind.Internal, inventory.Context, 1.5, 4.5);
        var ready = Span("inventory", "InventoryReady publish", ActivityKind.Producer, inventory.Context, 5, 5.6);
        var transactions = Span("transactions", "InventoryReady receive", ActivityKind.Consumer, ready.Context, 6.5, 26);
        var generate = Span("transactions", "rentals.generate", ActivityKind.Internal, transactions.Context, 7, 20);
        var batch = Span("transactions", "RentalBatch publish", ActivityKind.Producer, transactions.Context, 20.5, 22);
        var payments = Span("payments", "RentalBatch receive", ActivityKind.Consumer, batch.Context, 23, 38);
        var insert = Span("payments", "payments.insert", ActivityKind.Client, payments.Context, 24, 36);
        var recorded = Span("coordinator", "PaymentsRecorded receive", ActivityKind.Consumer, payments.Context, 38.5, 41);
        // Activity.Current is the last span started, so this record carries the week's trace id.
        services["inventory"].Logger.LogInformation("Week {Week}: bought {Copies} copies", 3, 12);
        foreach (var activity in new[] { recorded, insert, payments, batch, generate, transactions, ready, purchase, inventory, published, week })
        {
            activity.Dispose();
        }
        WeekSpanCount = spanCount;

        services["inventory"].Logger.LogInformation("Week {Week}: released {Films} films", 3, 2);
        services["inventory"].Logger.LogWarning("Week {Week}: {Copies} copies damaged", 3, 1);
        services["transactions"].Logger.LogInformation("Week {Week}: {Rentals} rentals in {Batches} batches", 3, 400, 1);
        services["transactions"].Logger.LogWarning("Week {Week}: customer {Customer} has overdue rentals", 3, 42);

        var rentals = services["transactions"].Meter.CreateCounter<long>("dvdsim.rentals", "{rental}");
        var paymentCounter = services["payments"].Meter.CreateCounter<long>("dvdsim.payments", "{payment}");
        var duration = services["coordinator"].Meter.CreateHistogram<double>("dvdsim.week.duration", "ms");
        foreach (var name in WeekServices)
        {
            var bytes = 40_000_000L + name.Length * 3_000_000L;
            services[name].Meter.CreateObservableGauge("process.memory.usage", () => bytes, "By");
        }
        for (var export = 0; export < 2; export++)
        {
            rentals.Add(400);
            paymentCounter.Add(420);
            duration.Record(40 + export);
            foreach (var service in services.Values) service.FlushMetrics();
            Thread.Sleep(200);
        }
        foreach (var service in services.Values)
        {
            service.FlushTraces();
            service.FlushLogsAndStopLogging();
        }
    }
}
