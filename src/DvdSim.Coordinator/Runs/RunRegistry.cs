using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using DvdSim.Contracts;
using DvdSim.Coordinator.Storage;
using DvdSim.Model;
using MassTransit;

namespace DvdSim.Coordinator.Runs;

/// <summary>
/// The week clock of every run: starts weeks, collects the stage reports, completes weeks and
/// starts the next ones. Weeks are pipelined within a bounded window: up to
/// <see cref="PipelineWindow"/> weeks are in flight, each stage takes them strictly in week order
/// (the Inventory service refuses a week before the previous week's stock, the Transaction
/// service a week before the previous week's rentals), and payments depend only on rentals — so
/// each stage works on its own week and a week costs about its slowest stage, not their sum.
/// </summary>
public sealed class RunRegistry(RunDatabases databases, RunSettingsCache settings, IServiceScopeFactory scopes,
    ILogger<RunRegistry> logger)
{
    public const int PipelineWindow = 10;
    public static readonly ActivitySource Source = new("DvdSim.Coordinator");
    private static readonly Meter Meter = new("DvdSim.Coordinator");
    private static readonly Histogram<double> WeekDuration = Meter.CreateHistogram<double>("dvdsim.week.duration", "ms");

    private readonly ConcurrentDictionary<string, RunProgress> _runs = new(StringComparer.Ordinal);

    public IReadOnlyCollection<RunProgress> Runs => _runs.Values.ToList();

    public RunProgress? Find(string database) => _runs.GetValueOrDefault(database);

    /// <summary>The weeks of a run started and not yet completed (their rows are written when they complete).</summary>
    public async Task<IReadOnlyList<WeekInFlight>> InFlightAsync(string database, CancellationToken ct)
    {
        if (!_runs.TryGetValue(database, out var run)) return [];
        await run.Gate.WaitAsync(ct);
        try { return run.InFlight.Values.ToList(); }
        finally { run.Gate.Release(); }
    }

    public RunProgress Track(string database, string scenarioName, int weeksTarget)
    {
        var run = new RunProgress(database, scenarioName, weeksTarget);
        _runs[database] = run;
        return run;
    }

    /// <summary>Continues a run from its first incomplete week (after a restart, an extend, or a resume).</summary>
    public async Task ResumeAsync(string database, CancellationToken ct)
    {
        settings.Forget(database);
        var run = await settings.GetAsync(database, ct);
        var progress = _runs.GetOrAdd(database, _ => new RunProgress(database, run.Scenario.Name, run.WeeksTarget));
        await progress.Gate.WaitAsync(ct);
        try
        {
            await using var db = await databases.OpenAsync(database, ct);
            await RunStore.EnsureWeekBooksAsync(db, ct); // a database made before dvdsim_week kept them
            progress.WeeksTarget = run.WeeksTarget;
            progress.WeeksCompleted = await RunStore.CompletedWeeksAsync(db, ct);
            progress.WeeksAtStart = progress.WeeksCompleted;
            progress.Clock.Restart();
            progress.LastCompletedTimestamp = 0;
            progress.CompletedAhead.Clear();
            foreach (var w in progress.InFlight.Values) w.Activity?.Dispose();
            progress.InFlight.Clear();
            progress.LastStarted = progress.WeeksCompleted;
            progress.Error = null;
            // Not COUNT(*) of rental: weeks after the completed ones may be written already, and they
            // are run again from here (re-sent from the database), so their completions add them.
            progress.Rentals = await RunStore.RentalsThroughAsync(db, progress.WeeksCompleted, ct);
            if (progress.WeeksCompleted >= progress.WeeksTarget)
            {
                progress.Status = RunStatus.Completed;
                await RunStore.SetStateAsync(db, "completed", null, ct);
                return;
            }
            progress.Status = RunStatus.Running;
            await RunStore.SetStateAsync(db, "running", null, ct);
            await StartNextWeeksAsync(progress, ct);
        }
        finally
        {
            progress.Gate.Release();
        }
    }

    public async Task OnRentalsClosedAsync(RentalsClosed m, CancellationToken ct) =>
        await WithRun(m.Database, ct, async (run, token) =>
        {
            if (!run.InFlight.TryGetValue(m.Week, out var week) || week.Closed is not null) return;
            week.InventoryMs = m.InventoryMilliseconds;
            week.Closed = new RentalsClosedInfo(m.BatchCount, m.Rentals, m.Returns, m.Lost, m.NewCustomers, m.ActiveCustomers,
                m.CheckedOut, m.StageMilliseconds);
            await CompleteWeeksAsync(run, token);
            await StartNextWeeksAsync(run, token);
        });

    public async Task OnPaymentsRecordedAsync(PaymentsRecorded m, CancellationToken ct) =>
        await WithRun(m.Database, ct, async (run, token) =>
        {
            foreach (var batch in m.Batches)
                if (run.InFlight.TryGetValue(batch.Week, out var week))
                    week.Recorded[batch.BatchNumber] = batch;
            await CompleteWeeksAsync(run, token);
            await StartNextWeeksAsync(run, token);
        });

    public async Task FailAsync(string database, string reason, CancellationToken ct)
    {
        if (!DatabaseName.IsValid(database)) return;
        await WithRun(database, ct, async (run, token) =>
        {
            run.Status = RunStatus.Failed;
            run.Error = reason;
            foreach (var w in run.InFlight.Values) { w.Activity?.SetStatus(ActivityStatusCode.Error, reason); w.Activity?.Dispose(); }
            run.InFlight.Clear();
            logger.LogError("{Database}: run failed: {Reason}", database, reason);
            try
            {
                await using var db = await databases.OpenAsync(database, token);
                await RunStore.SetStateAsync(db, "failed", reason, token);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "{Database}: could not store the failure", database);
            }
        });
    }

    /// <summary>Runs <paramref name="action"/> on a live run, one message at a time per run.</summary>
    private async Task WithRun(string database, CancellationToken ct, Func<RunProgress, CancellationToken, Task> action)
    {
        if (!_runs.TryGetValue(database, out var run)) return;
        await run.Gate.WaitAsync(ct);
        try
        {
            if (run.Status is RunStatus.Running or RunStatus.Preparing) await action(run, ct);
        }
        finally { run.Gate.Release(); }
    }

    /// <summary>Starts weeks while the window allows.</summary>
    private async Task StartNextWeeksAsync(RunProgress run, CancellationToken ct)
    {
        while (run.Status == RunStatus.Running && run.LastStarted < run.WeeksTarget && run.InFlight.Count < PipelineWindow)
            await StartWeekAsync(run, run.LastStarted + 1, ct);
    }

    private async Task StartWeekAsync(RunProgress run, int week, CancellationToken ct)
    {
        var scenario = (await settings.GetAsync(run.Database, ct)).Scenario;
        var previous = Activity.Current;
        Activity.Current = null; // every week is a trace of its own
        var activity = Source.StartActivity($"week {week}", ActivityKind.Producer);
        activity?.SetTag("dvdsim.database", run.Database);
        activity?.SetTag("dvdsim.week", week);
        try
        {
            // The week's row is written once, when it completes: one round trip a week, not two.
            run.InFlight[week] = new WeekInFlight(week, WeekClock.For(scenario).WeekStart(week), activity);
            run.LastStarted = week;
            run.LastActivityAt = DateTimeOffset.UtcNow;
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(new WeekStarted(run.Database, week), ct);
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    private async Task CompleteWeeksAsync(RunProgress run, CancellationToken ct)
    {
        var complete = run.InFlight.Values.Where(w => w.IsComplete).ToList();
        if (complete.Count == 0) return;
        // One payment batch often completes several weeks: their rows go through one connection.
        await using var db = await databases.OpenAsync(run.Database, ct);
        using var scope = scopes.CreateScope();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        foreach (var week in complete)
        {
            var closed = week.Closed!;
            var billed = week.Recorded.Values;
            var paymentsMs = billed.Sum(b => b.StageMilliseconds);
            // Weeks overlap in the pipeline: a week's cost is the time it added after the previous
            // completion, not the time it spent queued behind earlier weeks.
            var now = Stopwatch.GetTimestamp();
            var wall = Stopwatch.GetElapsedTime(Math.Max(week.StartedTimestamp, run.LastCompletedTimestamp), now).TotalMilliseconds;
            run.LastCompletedTimestamp = now;
            var row = new WeekRow(week.Week, week.WeekStart.ToDateTime(TimeOnly.MinValue), "completed", closed.Rentals, closed.Returns, closed.Lost,
                billed.Sum(b => b.Payments), closed.NewCustomers, closed.ActiveCustomers, closed.CheckedOut,
                week.InventoryMs, closed.TransactionsMs, paymentsMs,
                Math.Max(0, wall - week.InventoryMs - closed.TransactionsMs - paymentsMs), wall, week.Activity?.TraceId.ToHexString());
            var books = new WeekBooks(billed.Sum(b => b.Revenue), billed.Sum(b => b.LateFees), billed.Sum(b => b.ReceivablesChange));
            await RunStore.WeekCompletedAsync(db, row, books, week.StartedAt, ct);
            WeekDuration.Record(wall);
            run.InFlight.Remove(week.Week);
            run.Rentals += closed.Rentals;
            run.CompletedAhead.Add(week.Week);
            while (run.CompletedAhead.Remove(run.WeeksCompleted + 1)) run.WeeksCompleted++;

            // WeekCompleted ends the week's own trace. (Stopping the week's activity makes its
            // parent — none, every week is a trace of its own — current: the report's span after it.)
            var reporting = Activity.Current;
            Activity.Current = week.Activity;
            try
            {
                await publish.Publish(new WeekCompleted(run.Database, week.Week, closed.Rentals, row.Payments ?? 0, wall), ct);
            }
            finally
            {
                week.Activity?.SetTag("dvdsim.rentals", closed.Rentals);
                week.Activity?.Dispose();
                Activity.Current = reporting;
            }
            if (run.WeeksCompleted >= run.WeeksTarget && run.InFlight.Count == 0)
            {
                run.Status = RunStatus.Completed;
                await RunStore.SetStateAsync(db, "completed", null, ct);
                logger.LogInformation("{Database}: run completed at week {Week} in {Seconds:F1} s", run.Database,
                    run.WeeksCompleted, run.Clock.Elapsed.TotalSeconds);
                await publish.Publish(new RunCompleted(run.Database, run.WeeksCompleted), ct);
            }
        }
    }
}
