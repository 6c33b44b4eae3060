using DvdSim.Contracts;

namespace DvdSim.TransactionService.Tests;

/// <summary>
/// Two weeks in hand at once: week w+1 is simulated while week w is written. Whatever the order
/// the weeks arrive in and wherever a crash hits, the tables and the messages must be those of
/// <see cref="TransactionServiceFixture.Main"/>, which was fed one week at a time.
/// </summary>
[Collection(TransactionServiceFixture.Collection)]
public sealed class PipelinedWeeksTests(TransactionServiceFixture fixture)
{
    [Fact]
    public async Task Weeks_sent_all_at_once_out_of_order_and_cut_by_a_crash_end_exactly_like_weeks_sent_one_by_one()
    {
        var database = fixture.Pipelined;
        var bus = fixture.Bus;
        var service = fixture.Transactions;
        var stock = fixture.Stock[database];

        // Week 2 comes before week 1: it waits for it. Then the rest at once, and a crash while weeks are in hand.
        await bus.PublishAsync(stock[1]);
        await Task.Delay(300);
        await bus.PublishAsync(stock[0]);
        for (var week = 3; week <= TransactionServiceFixture.Weeks; week++) await bus.PublishAsync(stock[week - 1]);
        await Task.Delay(150);
        var restarts = service.Snapshot.Restarts;
        service.Crash();
        await service.WaitUntilRunningAsync(restarts + 1);

        var closed = new Dictionary<int, RentalsClosed>();
        await service.WaitForAsync($"RentalsClosed for weeks 1-{TransactionServiceFixture.Weeks} of {database}", () =>
        {
            foreach (var m in bus.Received<RentalsClosed>().Where(m => m.Database == database)) closed[m.Week] = m;
            return closed.Count == TransactionServiceFixture.Weeks;
        }, TransactionServiceFixture.Timeout);

        var tables = await fixture.DataTablesAsync(database);
        Assert.Contains("rental", tables);
        Assert.Equal(await fixture.ChecksumsAsync(fixture.Main, tables), await fixture.ChecksumsAsync(database, tables));
        foreach (var main in fixture.MainWeeks)
        {
            var mine = closed[main.Week];
            Assert.Equal((main.Closed.BatchCount, main.Closed.Rentals, main.Closed.Returns, main.Closed.Lost, main.Closed.NewCustomers,
                    main.Closed.ActiveCustomers, main.Closed.CheckedOut),
                (mine.BatchCount, mine.Rentals, mine.Returns, mine.Lost, mine.NewCustomers, mine.ActiveCustomers, mine.CheckedOut));
            // The events of the week, whichever delivery sent them (a crash can leave a week's batches on the bus twice).
            var batches = bus.Received<RentalBatch>().Where(b => b.Database == database && b.Week == main.Week)
                .GroupBy(b => b.BatchNumber).Select(g => g.Last()).OrderBy(b => b.BatchNumber).ToList();
            Assert.Equal(InventoryReadyTests.Sorted(main.Events), InventoryReadyTests.Sorted(batches.SelectMany(b => b.Events)));
        }
    }
}
