using DvdSim.Model;

namespace DvdSim.EndToEnd.Tests;

[Collection(SimulatedRuns.Collection)]
public class DeterminismTests(SimulatedRuns runs)
{
    [Fact]
    public async Task Same_scenario_and_seed_give_identical_tables()
    {
        var main = await runs.ChecksumsAsync(runs.Main);
        var twin = await runs.ChecksumsAsync(runs.Twin);
        Assert.Contains(main, c => c.Table == "rental");
        Assert.Equal(main, twin);
    }

    [Fact]
    public async Task A_run_extended_later_equals_the_run_made_in_one_go()
    {
        Assert.Equal(await runs.ChecksumsAsync(runs.Main), await runs.ChecksumsAsync(runs.Split));
    }

    [Fact]
    public async Task Another_seed_gives_other_tables()
    {
        var main = await runs.ChecksumsAsync(runs.Main);
        var lifecycle = await runs.ChecksumsAsync(runs.Lifecycle);
        Assert.NotEqual(main.Single(c => c.Table == "rental").Checksum, lifecycle.Single(c => c.Table == "rental").Checksum);
    }

    [Theory]
    [InlineData(nameof(SimulatedRuns.Main))]
    [InlineData(nameof(SimulatedRuns.Lifecycle))]
    public async Task The_database_holds_exactly_what_the_model_plays_in_memory(string run)
    {
        // The dry run's rehearsal and the services share the model: the figures must agree exactly,
        // which also proves the services' state rebuilt from the database matches the in-memory one
        // and that no stage lost a row on the way (a copy, a payment).
        var (scenario, weeks, database) = run == nameof(SimulatedRuns.Main)
            ? (SimulatedRuns.Standard, SimulatedRuns.StandardWeeks, runs.Main)
            : (SimulatedRuns.Advanced, SimulatedRuns.AdvancedWeeks, runs.Lifecycle);
        var expected = Rehearsal.Run(scenario, weeks);
        var actual = await runs.StatisticsAsync(database);
        Assert.Equal(expected.Rentals, actual.TotalRentals);
        Assert.Equal(expected.Payments, actual.Payments);
        Assert.Equal(expected.Revenue, actual.Revenue);
        Assert.Equal((expected.LateFees, expected.Receivables), (actual.LateFees, actual.Receivables));
        Assert.Equal((expected.FirstRental, expected.LastRental), (actual.FirstRental, actual.LastRental));
        Assert.Equal(expected.Customers, actual.Customers);
        Assert.Equal(expected.ActiveCustomers, actual.ActiveCustomers);
        Assert.Equal(expected.CheckedOut, actual.CheckedOut);
        Assert.Equal(expected.Lost, actual.InventoryLost);
        Assert.Equal(expected.Copies, actual.Inventory);
        Assert.Equal(expected.Films, actual.Films);
        Assert.Equal(weeks, actual.WeeksCompleted);
    }
}
