using System.Globalization;
using System.Net;
using DvdSim.Contracts;
using DvdSim.Model;
using DvdSim.Model.Scenarios;

namespace DvdSim.AppHost.Commands;

/// <summary>
/// The main job: resolve a scenario, start the cluster, run the scenario into its own database
/// with a progress bar, print the final statistics, then stay up for the dashboard (or exit).
/// </summary>
internal sealed class SimulateCommand : AppHostCommand
{
    public override string Name => "simulate";
    public override string Summary => "run a scenario into a database, with progress and final statistics";
    public override IReadOnlyList<CommandOption> Options =>
    [
        new("--scenario", "NAME|FILE", $"a preset ({string.Join(", ", ScenarioLoader.Presets)}) or a .json/.yaml file (default: {ScenarioLoader.DefaultPreset})"),
        new("--weeks", "N", "weeks of the main simulation (after the starter weeks)"),
        new("--seed", "N", "random seed: same scenario + seed ⇒ same tables"),
        new("--database", "NAME", "the run's database (default: the scenario name with _ for -)"),
        new("--set", "KEY=VALUE", "override any scenario key, e.g. --set demand.annual_growth=0.2 (repeatable)"),
        new("--dry-run", null, "print the resolved scenario and its expected volumes; start and write nothing"),
        new("--exit", null, "exit after the final statistics instead of staying up for the dashboard"),
    ];

    public override async Task<int> RunAsync(CommandContext context)
    {
        var scenario = ResolveScenario(context);
        var given = context.Value("--database");
        var database = given ?? scenario.Name.Replace('-', '_');
        if (DatabaseName.Problem(database) is { } invalid)
            throw new UsageException(given is not null ? "--database: " + invalid
                : $"scenario key 'name' gives the database name: {invalid} (or give one with --database NAME)");

        if (context.Flag("--dry-run"))
        {
            DryRun.Print(context.Out, scenario, database);
            return 0;
        }

        await using var cluster = await context.StartClusterAsync();
        context.Out.WriteLine($"cluster healthy in {cluster.StartupDuration.TotalSeconds:0.0} s");
        cluster.PrintDashboard();
        using var coordinator = new CoordinatorClient(cluster.CoordinatorUrl);
        var ct = cluster.ShutdownRequested;

        var (status, problem) = await coordinator.CreateAsync(
            new CreateRunRequest(database, ScenarioText: ScenarioJson.Write(scenario), Format: "json"), ct);
        if (status == HttpStatusCode.Conflict)
        {
            var existing = await TryGetRunAsync(coordinator, database, ct);
            if (existing is null)
            {
                context.Error.WriteLine($"error: {problem}");
                return 1;
            }
            if (existing.Scenario != scenario.Name)
            {
                context.Error.WriteLine($"error: database {database} already holds a run of scenario '{existing.Scenario}', not '{scenario.Name}': choose another --database (nothing was changed)");
                return 1;
            }
            context.Out.WriteLine(existing.State == "completed"
                ? $"Database {database} already holds this run, completed ({existing.WeeksDone} weeks); use extend to add weeks."
                : $"Database {database} already holds this run ({existing.WeeksDone}/{existing.WeeksTarget} weeks): resuming it.");
            await coordinator.ResumeAsync(database, ct);
        }
        else if (status != HttpStatusCode.Accepted)
        {
            context.Error.WriteLine($"error: {problem}");
            return status == HttpStatusCode.BadRequest ? 2 : 1;
        }
        else
        {
            context.Out.WriteLine($"Simulating {scenario.Name} ({scenario.StarterWeeks} starter + {scenario.Weeks} weeks, seed {scenario.Seed}) into database {database}");
        }

        var completed = await RunFollower.FollowAsync(coordinator, database, context.Out, ct);
        return await cluster.FinishAsync(context, completed);
    }

    internal static async Task<RunView?> TryGetRunAsync(CoordinatorClient coordinator, string database, CancellationToken ct)
    {
        try { return await coordinator.RunAsync(database, ct); }
        catch (CoordinatorException e) when (e.Status is HttpStatusCode.NotFound) { return null; }
    }

    private static Scenario ResolveScenario(CommandContext context)
    {
        var overrides = context.Values("--set").ToList();
        if (context.Value("--weeks") is { } weeks) overrides.Add("weeks=" + context.Int("--weeks", 0).ToString(CultureInfo.InvariantCulture));
        if (context.Value("--seed") is { } seed)
        {
            if (!long.TryParse(seed, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                throw new UsageException($"--seed needs a whole number, not '{seed}'");
            overrides.Add("seed=" + seed);
        }
        var name = context.Value("--scenario");
        try
        {
            return name is not null && (File.Exists(name) || Path.HasExtension(name))
                ? ScenarioLoader.FromFile(name, overrides)
                : ScenarioLoader.Resolve(name, overrides: overrides);
        }
        catch (ScenarioException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
