using System.Diagnostics;
using System.Globalization;
using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Dapper;
using DvdSim.AppHost.Commands;
using DvdSim.Contracts;
using DvdSim.Dashboard;
using DvdSim.Hosting;
using DvdSim.Model.Scenarios;
using MySqlConnector;

namespace DvdSim.AppHost.Benchmarks;

/// <summary>
/// Runs one workload on a cluster of its own (so peak memory and the strategy are the
/// workload's): start the cluster with the workload's strategy, create the run through the
/// coordinator, follow it to the end while sampling memory and counting spans, then read the
/// per-week timings and totals and measure the load ceiling for as many rows.
/// </summary>
internal sealed class WorkloadRunner(CommandContext context, long? ceilingMaxRows)
{
    /// <summary>A run whose week count does not move for this long is given up.</summary>
    private static readonly TimeSpan StallLimit = TimeSpan.FromMinutes(15);
    private readonly TextWriter _out = context.Out;

    /// <summary>Set by the first workload: the database server's version and settings.</summary>
    public MachineFacts? Machine { get; private set; }

    public async Task<WorkloadResult> RunAsync(WorkloadPlan plan, MachineFacts machine)
    {
        var workload = plan.Workload;
        var scenario = plan.Resolve();
        var weeks = scenario.StarterWeeks + scenario.Weeks;
        var c = CultureInfo.InvariantCulture;
        _out.WriteLine();
        _out.WriteLine(string.Create(c, $"== {workload.Name}: {workload.Description}"));
        _out.WriteLine(string.Create(c, $"   {weeks} weeks ({scenario.StarterWeeks} starter + {scenario.Weeks}{(plan.WeeksCap is null ? "" : ", capped")}), strategy {workload.Strategy}, database {workload.Database}"));
        var result = new WorkloadResult
        {
            Workload = workload.Name, Description = workload.Description, Scenario = workload.Preset, Overrides = plan.Overrides,
            Strategy = workload.Strategy, Database = workload.Database, Weeks = weeks, StarterWeeks = scenario.StarterWeeks,
            WeeksCap = plan.WeeksCap,
        };

        // The bench reads the services' spans itself (where the time went): they go to a receiver
        // of its own instead of the Aspire dashboard, which it does not start.
        DashboardServer? receiver = null;
        await using var cluster = await context.StartClusterAsync(dashboard: false,
            configure: b =>
            {
                WithStrategy(b, workload.Strategy);
                SendTelemetryTo(b, () => receiver?.OtlpEndpoint);
            },
            beforeStart: async monitor => receiver = await DashboardServer.StartAsync(
                new DashboardOptions { FrontendPort = 0, OtlpPort = 0 }, monitor, () => null));
        await using var receiverStops = receiver;
        var ct = cluster.ShutdownRequested;
        Machine ??= await Benchmarks.Machine.WithDatabaseAsync(machine, cluster.MySqlConnectionString, ct);
        await using var processes = new ProcessSampler(cluster.Monitor);
        await using var traces = new TraceTally(receiver?.Telemetry.Traces);
        using var coordinator = new CoordinatorClient(cluster.CoordinatorUrl);
        await DropDatabaseAsync(cluster.MySqlConnectionString, workload.Database, ct);

        var clock = Stopwatch.StartNew();
        processes.StartCpuClock();
        var (status, problem) = await coordinator.CreateAsync(
            new CreateRunRequest(workload.Database, ScenarioText: ScenarioJson.Write(scenario), Format: "json"), ct);
        if (status != HttpStatusCode.Accepted) return result with { Error = $"the coordinator refused the run: {problem}" };

        var (run, prepareSeconds) = await FollowAsync(coordinator, workload.Database, clock, processes, ct);
        var wallSeconds = clock.Elapsed.TotalSeconds;
        var cpu = processes.CpuSeconds();
        if (run.State != "completed")
            return result with { Error = $"run {run.State} after week {run.WeeksDone}: {run.Error}", PeakRssMb = processes.PeakMb() };

        var timings = await WeekTimings.ReadAsync(cluster.MySqlConnectionString, workload.Database, ct);
        var stats = await coordinator.StatisticsAsync(workload.Database, ct);
        await Task.Delay(TimeSpan.FromSeconds(2.5), ct); // services export spans every second: let the last ones arrive
        var traceStages = traces.Totals();
        var topSql = traces.TopStatements();
        var peak = processes.PeakMb();

        var rows = stats.TotalRentals + stats.Payments;
        _out.WriteLine(string.Create(c, $"   done in {wallSeconds:N1} s: {stats.TotalRentals:N0} rentals, {stats.Payments:N0} payments ({stats.TotalRentals / wallSeconds:N0} rentals/s)"));
        _out.WriteLine(string.Create(c, $"   measuring the load ceiling: LOAD DATA of {rows:N0} rental + payment rows{(ceilingMaxRows < rows ? $" (capped at {ceilingMaxRows:N0})" : "")}…"));
        CeilingResult? ceiling = null;
        string? ceilingError = null;
        try
        {
            ceiling = await LoadCeiling.MeasureAsync(cluster.MySqlConnectionString, workload.Database, stats.TotalRentals, stats.Payments,
                ceilingMaxRows, ct);
            _out.WriteLine(string.Create(c, $"   ceiling: {ceiling.RowsPerSecond:N0} rows/s"));
        }
        catch (Exception e) when (e is MySqlException or InvalidOperationException)
        {
            ceilingError = "ceiling not measured: " + e.Message;
            _out.WriteLine("   " + ceilingError);
        }

        // Week 1 also opens the shop (opening stock, the service's first load, JIT warm-up): reported on its own.
        var steady = timings.Count > 1 ? timings.Skip(1).ToList() : timings;
        var deciles = WeekTimings.Deciles(steady)
            .Select(d => d with { PeakRssMb = processes.PeakMbDuring(d.FirstWeek, d.LastWeek) }).ToList();
        DecileRow Part(double from, double to)
        {
            var n = steady.Count;
            var skip = (int)Math.Floor(n * from);
            var take = Math.Max(1, (int)Math.Ceiling(n * to) - skip);
            return WeekTimings.Summarize(steady.Skip(Math.Min(skip, Math.Max(0, n - 1))).Take(take).ToList());
        }
        var first = Part(0, 0.1);
        var middle = Part(0.45, 0.55);
        var last = Part(0.9, 1.0);
        var rowsPerSecond = wallSeconds > 0 ? rows / wallSeconds : 0;
        return result with
        {
            Rentals = stats.TotalRentals,
            Payments = stats.Payments,
            Rows = rows,
            StartupSeconds = Math.Round(cluster.StartupDuration.TotalSeconds, 2),
            PrepareSeconds = Math.Round(prepareSeconds, 2),
            WallSeconds = Math.Round(wallSeconds, 2),
            RentalsPerSecond = Math.Round(stats.TotalRentals / wallSeconds, 1),
            RowsPerSecond = Math.Round(rowsPerSecond, 1),
            CeilingRowsPerSecond = ceiling?.RowsPerSecond,
            CeilingFraction = ceiling is { RowsPerSecond: > 0 } ? Math.Round(rowsPerSecond / ceiling.RowsPerSecond, 4) : null,
            Ceiling = ceiling,
            FirstWeekSeconds = timings.Count > 0 ? Math.Round(timings[0].Seconds, 3) : 0,
            FirstDecileWeekSeconds = Math.Round(first.WeekSeconds, 4),
            MiddleDecileWeekSeconds = Math.Round(middle.WeekSeconds, 4),
            LastDecileWeekSeconds = Math.Round(last.WeekSeconds, 4),
            WeekSecondsRatio = first.WeekSeconds > 0 ? Math.Round(last.WeekSeconds / first.WeekSeconds, 3) : 0,
            FirstDecileMsPer1kRentals = Math.Round(first.MsPer1kRentals, 2),
            MiddleDecileMsPer1kRentals = Math.Round(middle.MsPer1kRentals, 2),
            LastDecileMsPer1kRentals = Math.Round(last.MsPer1kRentals, 2),
            PerRentalRatio = first.MsPer1kRentals > 0 ? Math.Round(last.MsPer1kRentals / first.MsPer1kRentals, 3) : 0,
            Deciles = deciles,
            PeakRssMb = peak,
            MemoryGrowth = MemoryGrowth(deciles),
            CpuSeconds = cpu,
            Stages = WeekTimings.Stages(timings),
            TraceStages = traceStages,
            TopSql = topSql,
            WeekTimings = timings,
            Notes = ceilingError is null ? [] : [ceilingError],
        };
    }

    /// <summary>
    /// Per resource, its peak RSS during the last tenth of the weeks over that during the middle
    /// tenth (the first tenth still warms up): about 1 when memory levels off, rising when it grows
    /// with the weeks simulated. Resources missing from either tenth are left out.
    /// </summary>
    internal static IReadOnlyDictionary<string, double> MemoryGrowth(IReadOnlyList<DecileRow> deciles)
    {
        if (deciles.Count < 3) return new Dictionary<string, double>();
        var middle = deciles[deciles.Count / 2].PeakRssMb;
        var last = deciles[^1].PeakRssMb;
        return last.Where(p => middle.GetValueOrDefault(p.Key) > 0)
            .ToDictionary(p => p.Key, p => Math.Round(p.Value / middle[p.Key], 2), StringComparer.Ordinal);
    }

    /// <summary>Gives every service <c>Dvdsim__Strategy</c> (only the transaction and payment services read it).</summary>
    internal static void WithStrategy(IDistributedApplicationBuilder builder, string strategy)
    {
        if (strategy == Workload.Bulk) return;
        foreach (var project in builder.Resources.OfType<ServiceResource>())
            builder.CreateResourceBuilder(project).WithEnvironment("Dvdsim__Strategy", strategy);
    }

    /// <summary>Every service exports its telemetry (http/protobuf) to <paramref name="endpoint"/>, read when it starts.</summary>
    private static void SendTelemetryTo(IDistributedApplicationBuilder builder, Func<Uri?> endpoint)
    {
        foreach (var project in builder.Resources.OfType<ServiceResource>())
            builder.CreateResourceBuilder(project).WithEnvironment(context =>
            {
                if (endpoint() is not { } url) return;
                context.EnvironmentVariables["OTEL_EXPORTER_OTLP_ENDPOINT"] = url.ToString().TrimEnd('/');
                context.EnvironmentVariables["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
                context.EnvironmentVariables["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
                context.EnvironmentVariables["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
                context.EnvironmentVariables["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
            });
    }

    /// <summary>Polls the run every 100 ms until it ends; returns it and the seconds it spent preparing.</summary>
    private async Task<(RunView Run, double PrepareSeconds)> FollowAsync(CoordinatorClient coordinator, string database, Stopwatch clock,
        ProcessSampler processes, CancellationToken ct)
    {
        double? prepared = null;
        var lastTenth = -1;
        var lastProgress = (Weeks: -1, At: TimeSpan.Zero);
        while (true)
        {
            var run = await coordinator.RunAsync(database, ct);
            processes.WeeksDone = run.WeeksDone;
            if (prepared is null && run.State != "preparing") prepared = clock.Elapsed.TotalSeconds;
            if (run.WeeksTarget > 0 && run.WeeksDone * 10 / run.WeeksTarget is var tenth && tenth > lastTenth)
            {
                lastTenth = tenth;
                _out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"   week {run.WeeksDone,4}/{run.WeeksTarget}  {run.Rentals,12:N0} rentals  {clock.Elapsed.TotalSeconds,8:N1} s"));
            }
            if (run.State is "completed" or "failed") return (run, prepared ?? clock.Elapsed.TotalSeconds);
            if (run.WeeksDone != lastProgress.Weeks) lastProgress = (run.WeeksDone, clock.Elapsed);
            else if (clock.Elapsed - lastProgress.At > StallLimit)
                return (run with { State = "stalled", Error = $"no week completed for {StallLimit.TotalMinutes:0} minutes" }, prepared ?? 0);
            await Task.Delay(100, ct);
        }
    }

    private static async Task DropDatabaseAsync(string serverConnectionString, string database, CancellationToken ct)
    {
        DvdSim.Model.DatabaseName.EnsureValid(database);
        await using var db = new MySqlConnection(serverConnectionString);
        await db.OpenAsync(ct);
        await db.ExecuteAsync(new CommandDefinition($"DROP DATABASE IF EXISTS `{database}`", cancellationToken: ct));
    }
}
