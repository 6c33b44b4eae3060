using DvdSim.Model;

namespace DvdSim.AppHost.Commands;

/// <summary>"Add N more weeks" to an existing run: same tables as if the run had been that long from the start.</summary>
internal sealed class ExtendCommand : AppHostCommand
{
    public override string Name => "extend";
    public override string Summary => "continue an existing run for N more weeks";
    public override IReadOnlyList<CommandOption> Options =>
    [
        new("--database", "NAME", "the run's database (required)"),
        new("--weeks", "N", "weeks to add (required)"),
        new("--exit", null, "exit after the final statistics instead of staying up for the dashboard"),
    ];

    public override async Task<int> RunAsync(CommandContext context)
    {
        var database = context.Value("--database") ?? throw new UsageException("extend needs --database NAME");
        if (DatabaseName.Problem(database) is { } invalid) throw new UsageException("--database: " + invalid);
        var weeks = context.Int("--weeks", 0);
        if (weeks < 1) throw new UsageException("extend needs --weeks N (at least 1)");

        await using var cluster = await context.StartClusterAsync();
        cluster.PrintDashboard();
        using var coordinator = new CoordinatorClient(cluster.CoordinatorUrl);
        try
        {
            var run = await coordinator.ExtendAsync(database, weeks, cluster.ShutdownRequested);
            context.Out.WriteLine($"Extending {database} from week {run.WeeksDone} to week {run.WeeksTarget}");
        }
        catch (CoordinatorException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        var completed = await RunFollower.FollowAsync(coordinator, database, context.Out, cluster.ShutdownRequested);
        return await cluster.FinishAsync(context, completed);
    }
}
