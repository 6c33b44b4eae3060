namespace DvdSim.AppHost.Commands;

/// <summary>Starts the cluster and keeps it up until Ctrl+C. The default command.</summary>
internal sealed class UpCommand : AppHostCommand
{
    public override string Name => "up";
    public override string Summary => "start the cluster and keep it running until Ctrl+C (default)";
    public override IReadOnlyList<CommandOption> Options =>
    [
        new("--only", "RESOURCES", "start only these resources (comma-separated) and what they wait for or reference, e.g. --only mysql to query a kept database"),
    ];

    public override async Task<int> RunAsync(CommandContext context)
    {
        var only = context.Value("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        await using var cluster = await context.StartClusterAsync(only);
        cluster.PrintSummary(context.ShowSecrets);
        cluster.PrintDashboard();
        context.Out.WriteLine($"cluster healthy in {cluster.StartupDuration.TotalSeconds:0.0} s");
        context.Out.WriteLine("Press Ctrl+C to stop.");
        await cluster.WaitForShutdownAsync();
        return 0;
    }
}
