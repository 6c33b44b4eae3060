using System.Net;
using System.Net.Http.Json;
using DvdSim.Contracts;
using DvdSim.Dashboard;
using DvdSim.Model.Scenarios;
using DvdSim.Storage;
using DvdSim.Testing;
using MySqlConnector;

namespace DvdSim.EndToEnd.Tests;

[CollectionDefinition(SimulatedRuns.Collection)]
public sealed class SimulatedRunsCollection : ICollectionFixture<SimulatedRuns>;

/// <summary>
/// The whole cluster on real servers, and the runs the tests read, made once:
/// <see cref="Main"/> and <see cref="Twin"/> (same scenario and seed), <see cref="Split"/> (the same
/// scenario run as 20 weeks, then extended by 44), and <see cref="Lifecycle"/> (level 4, with the
/// advanced-10y phases compressed into 80 weeks).
/// </summary>
public sealed class SimulatedRuns : IAsyncLifetime
{
    public const string Collection = "simulated runs";
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    public static readonly Scenario Standard = ScenarioLoader.Resolve("standard-3y", overrides: ["weeks=60", "starter_weeks=4", "seed=77"]);
    public static int StandardWeeks => Standard.StarterWeeks + Standard.Weeks;

    public static readonly Scenario Advanced = ScenarioLoader.Resolve("advanced-10y", overrides:
    [
        "weeks=76", "starter_weeks=4", "seed=5", "catalog.films=300", "customers.initial=150",
        """phases=[{"name":"growth","from_week":1,"to_week":20,"volume_multiplier":0.7,"sign_up_multiplier":1.6,"churn_multiplier":0.5},{"name":"plateau","from_week":21,"to_week":40,"volume_multiplier":1.3},{"name":"decline","from_week":41,"to_week":60,"volume_multiplier":0.6,"sign_up_multiplier":0.3,"churn_multiplier":3},{"name":"reactivation","from_week":61,"to_week":80,"volume_multiplier":1.2,"reactivation_share":0.05}]""",
        "damage.damaged_share=0.03",
    ]);
    public static int AdvancedWeeks => Advanced.StarterWeeks + Advanced.Weeks;

    public TestServers Servers { get; } = new();
    public TestCluster Cluster { get; private set; } = null!;
    /// <summary>The dashboard, as the AppHost runs it: every service sends it telemetry.</summary>
    public DashboardServer Dashboard { get; private set; } = null!;
    private readonly LateBoundMonitor _monitor = new();
    public HttpClient Coordinator { get; private set; } = null!;
    public string Main { get; } = TestServers.CreateDatabaseName();
    public string Twin { get; } = TestServers.CreateDatabaseName();
    public string Split { get; } = TestServers.CreateDatabaseName();
    public string Lifecycle { get; } = TestServers.CreateDatabaseName();

    public async Task InitializeAsync()
    {
        await Servers.InitializeAsync();
        Dashboard = await DashboardServer.StartAsync(new DashboardOptions { FrontendPort = 0, OtlpPort = 0 }, _monitor,
            () => Cluster?.CoordinatorUrl);
        Cluster = await Servers.StartClusterAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Dashboard.OtlpEndpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Export spans every half second rather than every five, so the tests see them sooner.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "500",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        });
        _monitor.Target = Cluster.Monitor;
        Coordinator = Cluster.CreateClient();

        await CreateAsync(Main, Standard);
        await CreateAsync(Twin, Standard);
        await CreateAsync(Split, Standard with { Weeks = 16 });
        await CreateAsync(Lifecycle, Advanced);
        await WaitAsync(Main);
        await WaitAsync(Twin);
        await WaitAsync(Lifecycle);
        await WaitAsync(Split);
        var extended = await Coordinator.PostAsJsonAsync($"/runs/{Split}/extend", new ExtendRunRequest(44));
        Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        await WaitAsync(Split);
    }

    public async Task DisposeAsync()
    {
        Coordinator?.Dispose();
        await Servers.DisposeAsync();
        if (Dashboard is not null) await Dashboard.DisposeAsync();
    }

    public Task<MySqlConnection> OpenAsync(string database) => Servers.OpenConnectionAsync(database);

    public async Task<IReadOnlyList<(string Table, long Checksum)>> ChecksumsAsync(string database)
    {
        await using var server = await Servers.OpenConnectionAsync();
        return await TableChecksums.ComputeAsync(server, database);
    }

    public async Task<RunStatistics> StatisticsAsync(string database) =>
        (await Coordinator.GetFromJsonAsync<RunStatistics>($"/runs/{database}/stats"))!;

    private async Task CreateAsync(string database, Scenario scenario)
    {
        var response = await Coordinator.PostAsJsonAsync("/runs",
            new CreateRunRequest(database, ScenarioText: ScenarioJson.Write(scenario), Format: "json"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    public async Task<RunView> WaitAsync(string database)
    {
        var deadline = DateTime.UtcNow + RunTimeout;
        while (true)
        {
            var run = (await Coordinator.GetFromJsonAsync<RunView>($"/runs/{database}"))!;
            if (run.State == "completed") return run;
            if (run.State == "failed") throw new InvalidOperationException($"run {database} failed: {run.Error}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"run {database} at week {run.WeeksDone}/{run.WeeksTarget} after {RunTimeout}");
            await Task.Delay(250);
        }
    }
}
