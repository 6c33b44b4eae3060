using DvdSim.Coordinator.Storage;

namespace DvdSim.Coordinator.Runs;

/// <summary>
/// On start, picks up every run left "running" (after a crash or a restart of the cluster), once
/// the stage services can take its weeks; afterwards, fails a run that has made no progress for
/// too long instead of letting it hang.
/// </summary>
public sealed class RunWatchdog(RunDatabases databases, RunRegistry registry, StageServices stages, IConfiguration configuration,
    ILogger<RunWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stallTimeout = TimeSpan.FromSeconds(configuration.GetValue("Dvdsim:StallTimeoutSeconds", 300));
        try
        {
            // Without them, a resumed run's first weeks could be published before their queues exist (and be lost):
            // past the timeout, the run is resumed anyway and fails below with the stage named if a week is lost.
            await stages.WaitUntilHealthyAsync(stallTimeout, stoppingToken);
            await using var server = await databases.Server.OpenConnectionAsync(stoppingToken);
            foreach (var (database, state) in await RunStore.FindRunsAsync(server, stoppingToken))
            {
                if (state != "running") continue;
                logger.LogInformation("{Database}: resuming the run left running", database);
                await registry.ResumeAsync(database, stoppingToken);
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(e, "could not look for runs to resume");
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            try
            {
                await FailStalledRunsAsync(stallTimeout, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // An exception leaving ExecuteAsync stops the whole coordinator: log it and look again next time.
                logger.LogError(e, "could not check the runs for stalled weeks");
            }
        }
    }

    private async Task FailStalledRunsAsync(TimeSpan stallTimeout, CancellationToken stoppingToken)
    {
        foreach (var run in registry.Runs)
        {
            if (run.Status != RunStatus.Running) continue;
            // A copy taken under the run's gate: the consumers change the weeks in flight all the time, and
            // walking them unlocked once threw "collection was modified" and stopped the coordinator mid-run.
            var inFlight = await registry.InFlightAsync(run.Database, stoppingToken);
            // Stalled when even the week started last is older than the timeout: nothing moved since.
            if (inFlight.Count == 0 || inFlight.Min(w => w.Age) < stallTimeout) continue;
            var w = inFlight.MinBy(w => w.Week)!;
            var stage = w.Closed is null ? (w.InventoryMs > 0 ? "transactions" : "inventory") : "payments";
            await registry.FailAsync(run.Database,
                $"no progress for {stallTimeout.TotalSeconds:F0} s: week {w.Week} is stuck in the {stage} stage (is that service running?)",
                stoppingToken);
        }
    }
}
