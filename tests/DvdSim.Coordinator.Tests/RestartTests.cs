using DvdSim.Testing;

namespace DvdSim.Coordinator.Tests;

/// <summary>The coordinator keeps nothing that matters only in memory: after a crash it finds its runs in their databases.</summary>
[Collection(CoordinatorFixture.Collection)]
public sealed class RestartTests(CoordinatorFixture fixture)
{
    private const int Weeks = CoordinatorFixture.Weeks;

    private async Task CrashCoordinatorAsync()
    {
        var restarts = fixture.Coordinator.Snapshot.Restarts;
        fixture.Coordinator.Crash();
        await fixture.Coordinator.WaitUntilRunningAsync(restarts + 1);
    }

    [Fact]
    public async Task After_a_crash_a_running_run_resumes_from_its_first_incomplete_week()
    {
        var database = TestServers.CreateDatabaseName();
        await fixture.CreateRunAsync(database);
        var script = fixture.Stages.For(database);
        await fixture.WaitForWeeksStartedAsync(database, 3);
        for (var week = 1; week <= 2; week++)
            for (var batch = 1; batch <= StageDoubles.BatchesPerWeek; batch++)
                await fixture.Stages.PayAsync(database, week, batch);
        await fixture.Eventually("weeks 1 and 2 completed", async () => (await fixture.GetRunAsync(database)).WeeksDone == 2);
        // The two completions let the window move on: wait for those weeks too, so that all that follows is the restart's.
        await fixture.WaitForWeeksStartedAsync(database, Math.Min(Weeks, 2 + Runs.RunRegistry.PipelineWindow));
        var startedBefore = script.Started.Select(s => s.Week).ToList();

        script.AutoPay = true; // for the weeks started from now on
        await CrashCoordinatorAsync();

        var run = await fixture.WaitForStateAsync(database, "completed");
        Assert.Equal((Weeks, Weeks), (run.WeeksDone, run.WeeksTarget));
        // Every week's rentals counted once: the weeks completed before the crash and those run again after it.
        Assert.Equal(Enumerable.Range(1, Weeks).Sum(w => (long)StageDoubles.Closed(database, w).Rentals), run.Rentals);
        // The weeks in flight at the crash were started again, the completed ones were not.
        var restarted = script.Started.Skip(startedBefore.Count).Select(s => s.Week).ToList();
        Assert.Equal(3, restarted[0]);
        Assert.DoesNotContain(1, restarted);
        Assert.DoesNotContain(2, restarted);
        Assert.Equal(Enumerable.Range(3, Weeks - 2), restarted.Distinct().Order());
    }

    [Fact]
    public async Task A_run_left_running_is_resumed_only_once_the_referenced_stage_services_are_healthy()
    {
        var database = TestServers.CreateDatabaseName();
        await fixture.CreateRunAsync(database);
        var script = fixture.Stages.For(database);
        await fixture.WaitForWeeksStartedAsync(database, Runs.RunRegistry.PipelineWindow);
        var startedBefore = script.Started.Count;

        fixture.Stage.Healthy = false;
        try
        {
            await CrashCoordinatorAsync();
            // Up and asking, but no week published while a stage it references is not healthy.
            var checks = fixture.Stage.Checks;
            await fixture.Eventually("health checks of the stage", () => Task.FromResult(fixture.Stage.Checks >= checks + 5));
            Assert.Equal(startedBefore, script.Started.Count);
        }
        finally
        {
            script.AutoPay = true;
            fixture.Stage.Healthy = true;
        }

        var run = await fixture.WaitForStateAsync(database, "completed");
        Assert.Equal((Weeks, Weeks), (run.WeeksDone, run.WeeksTarget));
        Assert.True(script.Started.Count > startedBefore);
    }

    [Fact]
    public async Task After_a_crash_finished_runs_are_still_shown_with_their_outcome()
    {
        var completed = TestServers.CreateDatabaseName();
        await fixture.CreateRunAsync(completed, script => script.AutoPay = true);
        var before = await fixture.WaitForStateAsync(completed, "completed");
        var failed = TestServers.CreateDatabaseName();
        await fixture.CreateRunAsync(failed, script => script.AnswerWeeks = false);
        await fixture.WaitForWeeksStartedAsync(failed, DvdSim.Coordinator.Runs.RunRegistry.PipelineWindow);
        await fixture.Stages.Bus.Publish(new Contracts.RunFailed(failed, 1, "inventory", "out of shelf space"));
        var failedBefore = await fixture.WaitForStateAsync(failed, "failed");

        await CrashCoordinatorAsync();

        // (Rentals are counted in the rental table then; the doubles write none.)
        var after = await fixture.GetRunAsync(completed);
        Assert.Equal((before.State, before.WeeksDone, before.WeeksTarget, before.Scenario),
            (after.State, after.WeeksDone, after.WeeksTarget, after.Scenario));
        var failedAfter = await fixture.GetRunAsync(failed);
        Assert.Equal((failedBefore.State, failedBefore.Error), (failedAfter.State, failedAfter.Error));
        // Neither was started again.
        Assert.Equal(Enumerable.Range(1, Weeks), fixture.Stages.For(completed).Started.Select(s => s.Week));
        Assert.Equal(Enumerable.Range(1, DvdSim.Coordinator.Runs.RunRegistry.PipelineWindow), fixture.Stages.For(failed).Started.Select(s => s.Week));
    }
}
