namespace DvdSim.TransactionService.Tests;

/// <summary>
/// Idempotence and determinism across crashes: the same InventoryReady twice changes nothing, and a
/// service killed between or during weeks, rebuilding its shop from the database, ends with the
/// same tables as <see cref="TransactionServiceFixture.Main"/>, which was played without a break.
/// </summary>
[Collection(TransactionServiceFixture.Collection)]
public sealed class RedeliveryAndRestartTests(TransactionServiceFixture fixture)
{
    private static RentalsClosedComparable Comparable(Contracts.RentalsClosed m) =>
        new(m.Week, m.BatchCount, m.Rentals, m.Returns, m.Lost, m.NewCustomers, m.ActiveCustomers, m.CheckedOut);

    /// <summary>RentalsClosed without its run and its timing.</summary>
    private sealed record RentalsClosedComparable(int Week, int BatchCount, int Rentals, int Returns, int Lost, int NewCustomers,
        int ActiveCustomers, int CheckedOut);

    [Fact]
    public async Task A_redelivered_inventory_ready_changes_nothing_and_republishes_the_weeks_events()
    {
        var database = fixture.Replay;
        var runs = new List<WeekRun>();
        for (var week = 1; week <= 3; week++) runs.Add(await fixture.RunWeekAsync(database, week));
        var tables = await fixture.DataTablesAsync(database);
        var before = await fixture.ChecksumsAsync(database, tables);

        // The last week written (as after a crash between its commit and its messages), then an older one.
        foreach (var week in new[] { 3, 2 })
        {
            var again = await fixture.RunWeekAsync(database, week);
            var original = runs[week - 1];
            Assert.Equal(Comparable(original.Closed), Comparable(again.Closed));
            Assert.Equal(InventoryReadyTests.Sorted(original.Events), InventoryReadyTests.Sorted(again.Events));
            Assert.Equal(Enumerable.Range(1, again.Closed.BatchCount), again.Batches.Select(b => b.BatchNumber));
            Assert.All(again.Batches, b => Assert.InRange(b.Events.Count, 1, 1000));
            Assert.Equal(before, await fixture.ChecksumsAsync(database, tables));
        }

        // The run then goes on as if nothing had happened: as Main did.
        var next = await fixture.RunWeekAsync(database, 4);
        Assert.Equal(Comparable(fixture.MainWeeks[3].Closed), Comparable(next.Closed));
    }

    [Fact]
    public async Task After_crashes_the_state_rebuilt_from_the_database_continues_exactly_like_an_uninterrupted_run()
    {
        var database = fixture.Twin;
        var service = fixture.Transactions;
        var runs = new List<WeekRun> { await fixture.RunWeekAsync(database, 1), await fixture.RunWeekAsync(database, 2) };

        // Killed between weeks.
        var restarts = service.Snapshot.Restarts;
        var pid = service.ProcessId;
        service.Crash();
        await service.WaitUntilRunningAsync(restarts + 1);
        Assert.NotEqual(pid, service.ProcessId);

        // Killed while week 3 may be in progress: simulating, writing, or publishing.
        runs.Add(await fixture.RunWeekAsync(database, 3, crashAfter: TimeSpan.FromMilliseconds(120)));
        runs.Add(await fixture.RunWeekAsync(database, 4));

        // Stopped and started.
        await service.StopAsync();
        await service.StartAsync();
        await service.WaitUntilRunningAsync();
        runs.Add(await fixture.RunWeekAsync(database, 5));
        runs.Add(await fixture.RunWeekAsync(database, 6));

        // The tables are the uninterrupted run's, byte for byte …
        var tables = await fixture.DataTablesAsync(database);
        Assert.Contains("rental", tables);
        Assert.Equal(await fixture.ChecksumsAsync(fixture.Main, tables), await fixture.ChecksumsAsync(database, tables));
        // … and so were the messages, week by week.
        foreach (var (twin, main) in runs.Zip(fixture.MainWeeks))
        {
            Assert.Equal(Comparable(main.Closed), Comparable(twin.Closed));
            Assert.Equal(InventoryReadyTests.Sorted(main.Events), InventoryReadyTests.Sorted(twin.Events));
        }
    }
}
