using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DvdSim.Dashboard.Telemetry;
using DvdSim.Dashboard.Tests.Support;
using DvdSim.Hosting;
using Microsoft.Extensions.Configuration;

namespace DvdSim.Dashboard.Tests;

/// <summary>The JSON API behind the pages: resources and their actions, console streaming, the coordinator proxy, metrics.</summary>
public sealed class DashboardApiTests
{
    [Fact]
    public async Task Resources_are_listed_as_the_monitor_reports_them()
    {
        var monitor = new FakeResourceMonitor("inventory", "payments");
        monitor.Add(new ResourceSnapshot("mysql", "mariadb", ResourceState.Unhealthy, null, ["tcp://127.0.0.1:3307"], null, 2, 1));
        await using var dashboard = await TestDashboard.StartAsync(monitor: monitor);
        using var client = TestDashboard.Client(dashboard, loggedIn: true);

        var resources = (await client.GetFromJsonAsync<JsonElement[]>("/api/resources"))!;

        Assert.Equal(["inventory", "payments", "mysql"], resources.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal("running", resources[0].GetProperty("state").GetString());
        Assert.Equal(4100, resources[0].GetProperty("processId").GetInt32());
        Assert.Equal("unhealthy", resources[2].GetProperty("state").GetString());
        Assert.Equal("tcp://127.0.0.1:3307", resources[2].GetProperty("endpoints")[0].GetString());
        Assert.Equal(2, resources[2].GetProperty("restarts").GetInt32());
        Assert.Equal(1, resources[2].GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Stop_start_and_restart_call_the_monitor()
    {
        var monitor = new FakeResourceMonitor("inventory");
        await using var dashboard = await TestDashboard.StartAsync(monitor: monitor);
        using var client = TestDashboard.Client(dashboard, loggedIn: true);

        var stopped = await Act(client, "inventory", "stop");
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        Assert.Equal("stopped", (await stopped.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Act(client, "inventory", "start")).StatusCode);
        var restarted = await Act(client, "inventory", "restart");
        Assert.Equal(1, (await restarted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("restarts").GetInt32());
        Assert.Equal(new[] { ("stop", "inventory"), ("start", "inventory"), ("restart", "inventory") }, monitor.Calls.ToArray());

        Assert.Equal(HttpStatusCode.NotFound, (await Act(client, "nobody", "stop")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Act(client, "inventory", "explode")).StatusCode);
        var withoutHeader = await client.PostAsync("/api/resources/inventory/stop", null);
        Assert.Equal(HttpStatusCode.Forbidden, withoutHeader.StatusCode);
        Assert.Equal(3, monitor.Calls.Count);
    }

    [Fact]
    public async Task The_console_stream_sends_the_backlog_then_live_lines_and_unsubscribes()
    {
        var monitor = new FakeResourceMonitor("inventory", "payments");
        monitor.WriteConsole("inventory", "listening on 5100");
        monitor.WriteConsole("payments", "other resource");
        await using var dashboard = await TestDashboard.StartAsync(monitor: monitor);
        using var client = TestDashboard.Client(dashboard, loggedIn: true);

        var lines = await client.GetFromJsonAsync<JsonElement[]>("/api/resources/inventory/console");
        Assert.Equal("listening on 5100", Assert.Single(lines!).GetProperty("text").GetString());

        using (var response = await client.GetAsync("/api/resources/inventory/console/stream", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.Contains("listening on 5100", await NextEvent(reader));
            await Eventually.True(() => monitor.ConsoleSubscriberCount == 1, "the stream to subscribe");

            monitor.WriteConsole("payments", "not for this stream");
            monitor.WriteConsole("inventory", "week 4 stock ready", isError: true);
            var live = JsonDocument.Parse((await NextEvent(reader))["data: ".Length..]).RootElement;
            Assert.Equal("week 4 stock ready", live.GetProperty("text").GetString());
            Assert.True(live.GetProperty("isError").GetBoolean());
        }
        await Eventually.True(() => monitor.ConsoleSubscriberCount == 0, "the stream to unsubscribe when the browser leaves");
    }

    [Fact]
    public async Task Disposing_ends_open_console_streams()
    {
        var monitor = new FakeResourceMonitor("inventory");
        var dashboard = await TestDashboard.StartAsync(monitor: monitor);
        using var client = TestDashboard.Client(dashboard, loggedIn: true);
        using var response = await client.GetAsync("/api/resources/inventory/console/stream", HttpCompletionOption.ResponseHeadersRead);
        await Eventually.True(() => monitor.ConsoleSubscriberCount == 1, "the stream to subscribe");

        var disposing = dashboard.DisposeAsync().AsTask();
        Assert.Same(disposing, await Task.WhenAny(disposing, Task.Delay(TimeSpan.FromSeconds(15))));
        await disposing;
        Assert.Equal(0, monitor.ConsoleSubscriberCount);
    }

    [Fact]
    public async Task Runs_and_weeks_are_read_from_the_coordinator_through_the_dashboard()
    {
        await using var coordinator = await FakeCoordinator.StartAsync();
        coordinator.Runs = [new { database = "d1", scenario = "standard-3y", state = "running", weeksDone = 2, weeksTarget = 168, rentals = 800, startedAt = "2026-11-23T12:00:00Z", etaSeconds = 3.5 }];
        coordinator.Weeks = new() { ["d1"] = FakeCoordinator.WeeksOf(2, week => week == 1 ? "0af7651916cd43dd8448eb211c80319c" : null) };
        Uri? coordinatorUrl = null;
        await using var dashboard = await TestDashboard.StartAsync(coordinator: () => coordinatorUrl);
        using var client = TestDashboard.Client(dashboard, loggedIn: true);

        var notStarted = await client.GetAsync("/api/runs");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notStarted.StatusCode);
        Assert.Contains("not started", (await notStarted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        coordinatorUrl = coordinator.BaseUrl;
        var runs = await client.GetFromJsonAsync<JsonElement[]>("/api/runs");
        var run = Assert.Single(runs!);
        Assert.Equal("d1", run.GetProperty("database").GetString());
        Assert.Equal("running", run.GetProperty("state").GetString());
        Assert.Equal(168, run.GetProperty("weeksTarget").GetInt32());
        Assert.Equal(3.5, run.GetProperty("etaSeconds").GetDouble());

        var weeks = await client.GetFromJsonAsync<JsonElement[]>("/api/runs/d1/weeks");
        Assert.Equal(2, weeks!.Length);
        Assert.Equal("2001-07-09", weeks[0].GetProperty("weekStart").GetString());
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", weeks[0].GetProperty("traceId").GetString());
        Assert.Equal(JsonValueKind.Null, weeks[1].GetProperty("traceId").ValueKind);
        Assert.Equal(5.9, weeks[0].GetProperty("transactionsMs").GetDouble(), 6);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/runs/d9/weeks")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/runs/d1;drop/weeks")).StatusCode);

        // A coordinator that went away.
        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        coordinatorUrl = new Uri($"http://127.0.0.1:{closedPort}/");
        Assert.Equal(HttpStatusCode.BadGateway, (await client.GetAsync("/api/runs")).StatusCode);
    }

    [Fact]
    public async Task Logs_traces_and_metrics_are_queryable_over_http()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        dashboard.Telemetry.Traces.Add([
            TelemetryStoreTests.Span("t1", "s1", service: "coordinator", name: "week 7") with
            {
                Attributes = [new TelemetryAttribute("dvdsim.database", "d1"), new TelemetryAttribute("dvdsim.week", "7")],
            },
            TelemetryStoreTests.Span("t1", "s2", parent: "s1", service: "payments", name: "pay", durationMs: 0.5),
        ]);
        var t0 = DateTimeOffset.UtcNow;
        var memory = new MetricInstrument("payments", "System.Runtime", "dotnet.process.memory.working_set", "By", "", MetricKind.Sum, false, true);
        dashboard.Telemetry.Metrics.Add(memory, [], new MetricPoint(t0, t0, 64 * 1024 * 1024, 0, 0, null, null, null, null));
        var other = new MetricInstrument("payments", "System.Runtime", "dotnet.gc.heap.total_allocated", "By", "", MetricKind.Sum, true, true);
        dashboard.Telemetry.Metrics.Add(other, [], new MetricPoint(t0, t0, 1, 0, 0, null, null, null, null));
        var rentals = new MetricInstrument("transactions", "DvdSim", "dvdsim.rentals", "{rental}", "", MetricKind.Sum, true, true);
        dashboard.Telemetry.Metrics.Add(rentals, [], new MetricPoint(t0.AddSeconds(-10), t0, 500, 0, 0, null, null, null, null));
        using var client = TestDashboard.Client(dashboard, loggedIn: true);

        var traceId = TelemetryStoreTests.Id("t1");
        Assert.Equal(traceId, (await client.GetFromJsonAsync<JsonElement>("/api/traces/find?database=d1&week=7")).GetProperty("traceId").GetString());
        var trace = await client.GetFromJsonAsync<JsonElement>($"/api/traces/{traceId.ToUpperInvariant()}");
        Assert.Equal(2, trace.GetProperty("spans").GetArrayLength());
        Assert.Equal("week 7", trace.GetProperty("summary").GetProperty("rootName").GetString());
        Assert.Single((await client.GetFromJsonAsync<JsonElement[]>("/api/traces?service=payments&minDurationMs=0.5"))!);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement[]>("/api/traces?name=health"))!);

        var metrics = await client.GetFromJsonAsync<JsonElement>("/api/metrics");
        var highlight = Assert.Single(metrics.GetProperty("highlights").EnumerateArray());
        Assert.Equal("rentals-per-second", highlight.GetProperty("key").GetString());
        Assert.Equal(50, highlight.GetProperty("timeline").GetProperty("latest").GetDouble());
        var memoryRow = Assert.Single(metrics.GetProperty("memory").EnumerateArray());
        Assert.Equal("dotnet.process.memory.working_set", memoryRow.GetProperty("name").GetString());
        Assert.Equal(3, metrics.GetProperty("instruments").GetArrayLength());

        var counts = await client.GetFromJsonAsync<JsonElement>("/api/telemetry");
        Assert.Equal(1, counts.GetProperty("traces").GetInt32());
        Assert.Equal(3, counts.GetProperty("metricPoints").GetInt32());
        Assert.Equal(10_000, counts.GetProperty("limits").GetProperty("maxTraceCount").GetInt32());
    }

    [Fact]
    public void Options_are_read_from_aspire_style_configuration_keys()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Dashboard:Frontend:BrowserToken"] = "abc",
                ["Dashboard:Frontend:Port"] = "19000",
                ["Dashboard:Otlp:Port"] = "19001",
                ["Dashboard:Otlp:MaxRequestBodySize"] = "1024",
                ["Dashboard:TelemetryLimits:MaxLogCount"] = "7",
                ["Dashboard:TelemetryLimits:MaxTraceCount"] = "8",
                ["Dashboard:TelemetryLimits:MaxMetricsCount"] = "9",
            })
            .Build();

        var options = DashboardOptions.FromConfiguration(configuration);

        Assert.Equal("abc", options.BrowserToken);
        Assert.Equal(19000, options.FrontendPort);
        Assert.Equal(19001, options.OtlpPort);
        Assert.Equal(1024, options.MaxOtlpRequestBytes);
        Assert.Equal(new TelemetryLimits { MaxLogCount = 7, MaxTraceCount = 8, MaxMetricsCount = 9 }, options.TelemetryLimits);
        Assert.Equal(new DashboardOptions().TelemetryLimits, DashboardOptions.FromConfiguration(new ConfigurationBuilder().Build()).TelemetryLimits);
    }

    [Fact]
    public async Task The_dashboard_leaves_ctrl_c_to_the_app_host()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        Assert.All(dashboard.HostLifetimes(), lifetime => Assert.IsType<EmbeddedHostLifetime>(lifetime));
    }

    [Fact]
    public async Task A_generated_token_is_random_and_in_the_login_url()
    {
        var options = new DashboardOptions { FrontendPort = 0, OtlpPort = 0 };
        await using var first = await DashboardServer.StartAsync(options, new FakeResourceMonitor(), () => null);
        await using var second = await DashboardServer.StartAsync(options, new FakeResourceMonitor(), () => null);
        Assert.Equal(32, first.BrowserToken.Length);
        Assert.NotEqual(first.BrowserToken, second.BrowserToken);
        Assert.EndsWith("/login?t=" + first.BrowserToken, first.LoginUrl.ToString());
    }

    private static Task<HttpResponseMessage> Act(HttpClient client, string resource, string action)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/resources/{resource}/{action}");
        request.Headers.Add("X-Dashboard-Request", "1");
        return client.SendAsync(request);
    }

    private static async Task<string> NextEvent(StreamReader reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException();
            if (line.StartsWith("data: ", StringComparison.Ordinal)) return line;
        }
    }
}
