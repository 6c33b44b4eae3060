using DvdSim.AppHost.Benchmarks;

namespace DvdSim.AppHost.Tests.Benchmarks;

public class NaiveExtrapolationTests
{
    private static List<WeekTiming> Measured(int weeks, int rentalsPerWeek, double a, double b)
    {
        var result = new List<WeekTiming>();
        var cumulative = 0L;
        for (var w = 1; w <= weeks; w++)
        {
            var seconds = rentalsPerWeek * (a + b * cumulative / NaiveExtrapolation.PerMillion);
            result.Add(new WeekTiming(w, rentalsPerWeek, 0, 0, 0, 0, 0, seconds * 1000, null, null) { Seconds = seconds });
            cumulative += rentalsPerWeek;
        }
        return result;
    }

    [Fact]
    public void Recovers_a_cost_that_grows_with_history()
    {
        var (a, b) = NaiveExtrapolation.Fit(Measured(20, 5_000, a: 0.002, b: 0.01));

        Assert.Equal(0.002, a, 9);
        Assert.Equal(0.01, b, 9);
    }

    [Fact]
    public void A_flat_cost_fits_with_no_growth()
    {
        var (a, b) = NaiveExtrapolation.Fit(Measured(12, 400, a: 0.001, b: 0));

        Assert.Equal(0.001, a, 9);
        Assert.Equal(0, b, 9);
    }

    [Fact]
    public void A_cost_that_seems_to_fall_is_taken_as_flat_never_negative()
    {
        var weeks = Measured(12, 400, a: 0.003, b: 0);
        weeks = weeks.Select(w => w with { Seconds = w.Seconds / w.Week }).ToList();

        var (a, b) = NaiveExtrapolation.Fit(weeks);

        Assert.True(a > 0);
        Assert.Equal(0, b);
    }

    [Fact]
    public void Warm_up_weeks_are_left_out_of_the_fit()
    {
        var weeks = Measured(8, 400, a: 0.001, b: 0);
        weeks[0] = weeks[0] with { Seconds = 100 }; // the first week also loads the shop and warms up
        weeks[1] = weeks[1] with { Seconds = 50 };

        var (a, _) = NaiveExtrapolation.Fit(weeks);

        Assert.Equal(2, NaiveExtrapolation.WarmUpWeeks(8));
        Assert.Equal(0.001, a, 9);
    }

    [Fact]
    public void Predicts_the_full_run_from_its_weekly_rentals()
    {
        var full = Enumerable.Range(1, 4).Select(w => (w, 1_000_000)).ToList();

        // 1 µs per rental plus 1 µs per rental per million already written: 1 + 2 + 3 + 4 seconds.
        Assert.Equal(10, NaiveExtrapolation.Predict((1e-6, 1e-6), full), 9);
    }

    [Fact]
    public void Builds_the_side_by_side_with_the_bulk_run()
    {
        var naive = new WorkloadResult
        {
            Workload = "reference", Strategy = "naive", PrepareSeconds = 5, WeeksCap = 4,
            WeekTimings = Measured(8, 100, a: 0.01, b: 0),
        };
        var bulk = new WorkloadResult
        {
            Workload = "standard-3y", WallSeconds = 20,
            WeekTimings = Enumerable.Range(1, 16).Select(w => new WeekTiming(w, 100, 0, 0, 0, 0, 0, 0, null, null) { Seconds = 0.1 }).ToList(),
        };

        var x = NaiveExtrapolation.Build(naive, bulk.WeekTimings.Select(w => (w.Week, w.Rentals)).ToList(), "the bulk run", bulk);

        Assert.Equal(8, x.MeasuredWeeks);
        Assert.Equal(16, x.FullWeeks);
        Assert.Equal(1_600, x.FullRentals);
        Assert.Equal(5 + 16, x.WallSeconds, 6);   // prepare + 16 weeks x 100 rentals x 10 ms
        Assert.Equal(8.0, x.NaiveSecondsSameWeeks);
        Assert.Equal(0.8, x.BulkSecondsSameWeeks);
        Assert.Equal(10, x.SpeedupSameWeeks);
        Assert.Equal(1.1, x.SpeedupFullRun);       // 21 s / 20 s
        Assert.Equal("standard-3y", x.ComparedWith);
        Assert.Contains("extrapolated", x.Method);
    }
}
