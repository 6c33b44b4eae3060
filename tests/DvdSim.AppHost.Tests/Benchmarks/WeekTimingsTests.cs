using DvdSim.AppHost.Benchmarks;

namespace DvdSim.AppHost.Tests.Benchmarks;

public class WeekTimingsTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 12, 0, 0);

    private static WeekTiming Week(int week, int rentals, double startedAt, double completedAt) =>
        new(week, rentals, rentals, 1, 2, 3, 4, (completedAt - startedAt) * 1000, T0.AddSeconds(startedAt), T0.AddSeconds(completedAt));

    [Fact]
    public void A_week_costs_the_time_since_the_previous_week_completed()
    {
        // Pipelined: week 2 starts before week 1 completes.
        var weeks = WeekTimings.WithIntervals([Week(1, 10, 0, 3), Week(2, 10, 1, 4), Week(3, 10, 2, 6.5)]);

        Assert.Equal([3.0, 1.0, 2.5], weeks.Select(w => w.Seconds));
        Assert.Equal(6.5, WeekTimings.SecondsThrough(weeks, 3));
        Assert.Equal(4.0, WeekTimings.SecondsThrough(weeks, 2));
        Assert.Null(WeekTimings.SecondsThrough(weeks, 4));
    }

    [Fact]
    public void A_week_completing_before_its_predecessor_costs_nothing()
    {
        var weeks = WeekTimings.WithIntervals([Week(1, 10, 0, 3), Week(2, 10, 1, 2.5), Week(3, 10, 2, 4)]);

        Assert.Equal([3.0, 0.0, 1.0], weeks.Select(w => w.Seconds));
    }

    [Fact]
    public void Deciles_split_the_weeks_in_order_and_normalise_by_rentals()
    {
        var weeks = WeekTimings.WithIntervals(Enumerable.Range(1, 20).Select(w => Week(w, 100 * w, w - 1, w)).ToList());

        var deciles = WeekTimings.Deciles(weeks);

        Assert.Equal(10, deciles.Count);
        Assert.Equal((1, 2), (deciles[0].FirstWeek, deciles[0].LastWeek));
        Assert.Equal((19, 20), (deciles[^1].FirstWeek, deciles[^1].LastWeek));
        Assert.All(deciles, d => Assert.Equal(1.0, d.WeekSeconds, 6));
        Assert.Equal(150, deciles[0].RentalsPerWeek);
        // 2 s for 300 rentals: 6,666.7 ms per 1,000 rentals.
        Assert.Equal(2.0 * 1_000_000 / 300, deciles[0].MsPer1kRentals, 6);
        Assert.Equal(2, deciles[0].TransactionsMs);
    }

    [Fact]
    public void Fewer_than_ten_weeks_make_one_row_each()
    {
        var weeks = WeekTimings.WithIntervals([Week(1, 10, 0, 1), Week(2, 10, 1, 2), Week(3, 10, 2, 3)]);

        Assert.Equal(3, WeekTimings.Deciles(weeks).Count);
        Assert.Empty(WeekTimings.Deciles([]));
    }

    [Fact]
    public void Stage_totals_add_up_every_week()
    {
        var stages = WeekTimings.Stages([Week(1, 10, 0, 1), Week(2, 10, 1, 2)]);

        Assert.Equal(new StageTotals(2, 4, 6, 8), stages);
        Assert.Equal(20, stages.TotalMs);
    }
}
