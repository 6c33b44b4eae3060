using DvdSim.AppHost.Benchmarks;

namespace DvdSim.AppHost.Tests.Benchmarks;

public class BaselineTests
{
    private static WorkloadResult Run(string name, double wall, double rentalsPerSecond, int weeks = 168, string strategy = "bulk") =>
        new() { Workload = name, WallSeconds = wall, RentalsPerSecond = rentalsPerSecond, Weeks = weeks, Strategy = strategy };

    private static BenchReport Report(params WorkloadResult[] workloads) => new() { Workloads = workloads };

    [Fact]
    public void Within_the_threshold_is_no_regression()
    {
        var comparison = Baseline.Compare(Report(Run("standard-3y", 105, 950)), Report(Run("standard-3y", 100, 1000)), "old.json", 0.10);

        Assert.False(comparison.Regression);
        var row = Assert.Single(comparison.Workloads);
        Assert.Equal(1.05, row.WallRatio);
        Assert.Equal(0.95, row.RentalsPerSecondRatio);
        Assert.StartsWith("same", row.Verdict);
    }

    [Fact]
    public void Longer_wall_time_beyond_the_threshold_is_a_regression()
    {
        var comparison = Baseline.Compare(Report(Run("standard-3y", 112, 1000)), Report(Run("standard-3y", 100, 1000)), "old.json", 0.10);

        Assert.True(comparison.Regression);
        Assert.Contains("wall time +12 %", comparison.Workloads[0].Verdict);
    }

    [Fact]
    public void Fewer_rentals_per_second_beyond_the_threshold_is_a_regression()
    {
        var comparison = Baseline.Compare(Report(Run("scale", 100, 850)), Report(Run("scale", 100, 1000)), "old.json", 0.10);

        Assert.True(comparison.Regression);
        Assert.Contains("rentals/s -15 %", comparison.Workloads[0].Verdict);
    }

    [Fact]
    public void The_threshold_is_the_callers()
    {
        var now = Report(Run("standard-3y", 104, 1000));
        var before = Report(Run("standard-3y", 100, 1000));

        Assert.True(Baseline.Compare(now, before, "old.json", 0.03).Regression);
        Assert.False(Baseline.Compare(now, before, "old.json", 0.05).Regression);
    }

    [Fact]
    public void Wall_times_of_runs_of_different_length_are_not_compared()
    {
        var comparison = Baseline.Compare(Report(Run("scale", 300, 1000, weeks: 64)), Report(Run("scale", 100, 1000, weeks: 24)), "old.json", 0.10);

        var row = comparison.Workloads[0];
        Assert.Null(row.WallRatio);
        Assert.False(row.Regression);
        Assert.Contains("not compared", row.Verdict);
    }

    [Fact]
    public void Faster_is_reported_and_new_workloads_are_named()
    {
        var comparison = Baseline.Compare(Report(Run("standard-3y", 50, 2000), Run("advanced-10y", 10, 10)),
            Report(Run("standard-3y", 100, 1000)), "old.json", 0.10);

        Assert.False(comparison.Regression);
        Assert.Equal("faster", comparison.Workloads[0].Verdict);
        Assert.StartsWith("new", comparison.Workloads[1].Verdict);
    }

    [Fact]
    public void Failed_workloads_are_left_out()
    {
        var failed = Run("standard-3y", 0, 0) with { Error = "boom" };

        var comparison = Baseline.Compare(Report(failed), Report(Run("standard-3y", 100, 1000)), "old.json", 0.10);

        Assert.Empty(comparison.Workloads);
        Assert.False(comparison.Regression);
    }
}
