using Dapper;
using DvdSim.Contracts;
using DvdSim.Coordinator.Runs;
using DvdSim.Coordinator.Storage;
using DvdSim.Model;
using DvdSim.Model.Scenarios;
using MassTransit;

namespace DvdSim.Coordinator.Api;

/// <summary>The coordinator's HTTP API: create, follow, resume and extend runs; weeks and statistics.</summary>
public static class RunsApi
{
    public static void MapRunsApi(this WebApplication app)
    {
        var runs = app.MapGroup("/runs");
        runs.MapGet("/", (RunRegistry registry) => registry.Runs.Select(View));
        runs.MapPost("/", CreateAsync);
        runs.MapGet("/{database}", DescribeAsync);
        runs.MapGet("/{database}/weeks", WeeksAsync);
        runs.MapGet("/{database}/stats", StatisticsAsync);
        runs.MapPost("/{database}/resume", ResumeAsync);
        runs.MapPost("/{database}/extend", ExtendAsync);
    }

    private static async Task<IResult> CreateAsync(CreateRunRequest request, RunDatabases databases, RunRegistry registry,
        IPublishEndpoint publish, CancellationToken ct)
    {
        if (Validated(request.Database) is { } invalid) return invalid;
        Scenario scenario;
        try
        {
            scenario = request.ScenarioText is not null
                ? ScenarioLoader.Resolve(null, request.ScenarioText, request.Format ?? "json", request.Overrides)
                : ScenarioLoader.Resolve(request.Scenario, overrides: request.Overrides);
        }
        catch (ScenarioException e)
        {
            return Results.Problem(e.Message, statusCode: 400, extensions: new Dictionary<string, object?> { ["key"] = e.Key });
        }

        if (await databases.ExistsAsync(request.Database, ct))
        {
            await using var db = await databases.OpenAsync(request.Database, ct);
            var tables = await db.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()", cancellationToken: ct));
            if (tables > 0)
                return Results.Problem($"database '{request.Database}' already exists and is not empty: resume or extend it, or choose another name",
                    statusCode: 409);
        }
        var weeks = scenario.StarterWeeks + scenario.Weeks;
        var run = registry.Track(request.Database, scenario.Name, weeks);
        await publish.Publish(new PrepareRun(request.Database, ScenarioJson.Write(scenario), weeks), ct);
        return Results.Accepted($"/runs/{request.Database}", View(run));
    }

    /// <summary>A tracked run as it stands, or a run found in its database (not resumed by looking at it).</summary>
    private static async Task<IResult> DescribeAsync(string database, RunDatabases databases, RunRegistry registry, CancellationToken ct)
    {
        if (Validated(database) is { } invalid) return invalid;
        if (registry.Find(database) is { } run) return Results.Ok(View(run));
        if (!await HasRunAsync(databases, database, ct)) return NotFound(database);
        await using var db = await databases.OpenAsync(database, ct);
        var stored = await db.QuerySingleAsync<(string Name, int Target, DateTime Created)>(new CommandDefinition(
            "SELECT scenario_name, weeks_target, created_at FROM dvdsim_run WHERE run_key = 1", cancellationToken: ct));
        var done = await RunStore.CompletedWeeksAsync(db, ct);
        // A failure is stored with its reason (dvdsim_run_state): it must survive a restart of the coordinator.
        var (storedState, storedError) = await RunStore.StoredStateAsync(db, database, ct);
        var failure = storedState == "failed" ? storedError ?? "" : null;
        var state = failure is not null ? "failed" : done >= stored.Target ? "completed" : "stopped";
        return Results.Ok(new RunView(database, stored.Name, state, done, stored.Target,
            await db.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM rental", cancellationToken: ct)),
            new DateTimeOffset(stored.Created, TimeSpan.Zero), null, failure));
    }

    private static async Task<IResult> ResumeAsync(string database, RunDatabases databases, RunRegistry registry, CancellationToken ct)
    {
        if (Validated(database) is { } invalid) return invalid;
        if (!await HasRunAsync(databases, database, ct)) return NotFound(database);
        await registry.ResumeAsync(database, ct);
        return Results.Ok(View(registry.Find(database)!));
    }

    private static async Task<IResult> ExtendAsync(string database, ExtendRunRequest request, RunDatabases databases,
        RunRegistry registry, CancellationToken ct)
    {
        if (Validated(database) is { } invalid) return invalid;
        if (request.Weeks is < 1 or > 5200) return Results.Problem("weeks: must be between 1 and 5200", statusCode: 400);
        if (!await HasRunAsync(databases, database, ct)) return NotFound(database);
        await using (var db = await databases.OpenAsync(database, ct))
            await db.ExecuteAsync(new CommandDefinition("UPDATE dvdsim_run SET weeks_target = weeks_target + @weeks WHERE run_key = 1",
                new { weeks = request.Weeks }, cancellationToken: ct));
        await registry.ResumeAsync(database, ct);
        return Results.Ok(View(registry.Find(database)!));
    }

    /// <summary>The completed weeks from the run's database, then the weeks in flight ("started") from the week clock.</summary>
    private static async Task<IResult> WeeksAsync(string database, RunDatabases databases, RunRegistry registry, CancellationToken ct)
    {
        if (Validated(database) is { } invalid) return invalid;
        if (!await HasRunAsync(databases, database, ct)) return NotFound(database);
        await using var db = await databases.OpenAsync(database, ct);
        var weeks = await RunStore.WeeksAsync(db, ct);
        var stored = weeks.Select(w => w.Week).ToHashSet();
        var inFlight = (await registry.InFlightAsync(database, ct)).Where(w => !stored.Contains(w.Week))
            .Select(w => new WeekView(w.Week, w.WeekStart.ToString("yyyy-MM-dd"), "started", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                w.Activity?.TraceId.ToHexString()));
        return Results.Ok(weeks.Select(w => new WeekView(w.Week, w.WeekStart.ToString("yyyy-MM-dd"), w.State, w.Rentals ?? 0,
            w.Payments ?? 0, w.Returns ?? 0, w.Lost ?? 0, w.NewCustomers ?? 0, w.ActiveCustomers ?? 0, w.CheckedOut ?? 0,
            w.WallMs ?? 0, w.InventoryMs ?? 0, w.TransactionsMs ?? 0, w.PaymentsMs ?? 0, w.WaitMs ?? 0, w.TraceId)).Concat(inFlight));
    }

    private static async Task<IResult> StatisticsAsync(string database, RunDatabases databases, CancellationToken ct)
    {
        if (Validated(database) is { } invalid) return invalid;
        if (!await HasRunAsync(databases, database, ct)) return NotFound(database);
        await using var db = await databases.OpenAsync(database, ct);
        var completed = await RunStore.CompletedWeeksAsync(db, ct);
        return Results.Ok(await RunStore.StatisticsAsync(db, completed, ct));
    }

    private static async Task<bool> HasRunAsync(RunDatabases databases, string database, CancellationToken ct)
    {
        if (!await databases.ExistsAsync(database, ct)) return false;
        await using var db = await databases.OpenAsync(database, ct);
        return await db.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'dvdsim_run'",
            cancellationToken: ct)) > 0;
    }

    private static IResult? Validated(string database) =>
        DatabaseName.Problem(database) is { } problem ? Results.Problem(problem, statusCode: 400) : null;

    private static IResult NotFound(string database) =>
        Results.Problem($"no DvdSim run in database '{database}'", statusCode: 404);

    public static RunView View(RunProgress run) => new(run.Database, run.ScenarioName, run.Status.ToString().ToLowerInvariant(),
        run.WeeksCompleted, run.WeeksTarget, run.Rentals, run.StartedAt, run.EtaSeconds, run.Error);
}
