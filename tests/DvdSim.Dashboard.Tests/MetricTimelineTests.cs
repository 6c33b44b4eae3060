using DvdSim.Dashboard.Telemetry;

namespace DvdSim.Dashboard.Tests;

public sealed class MetricTimelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_cumulative_counter_becomes_a_rate_summed_over_attribute_sets()
    {
        var counter = Instrument(MetricKind.Sum, monotonic: true, cumulative: true);
        var timeline = Single(
            Series(counter, "store=1", Number(0, 10, 0), Number(0, 20, 100), Number(0, 30, 300)),
            Series(counter, "store=2", Number(0, 10, 50), Number(0, 20, 50), Number(0, 30, 150)));

        Assert.Equal("rate", timeline.Shows);
        Assert.Equal("{rental}/s", timeline.DisplayUnit);
        // First point: average since the start; then the increase per second between exports.
        Assert.Equal([5.0, 10.0, 30.0], timeline.Points.Select(p => p.Value));
        Assert.Equal(30, timeline.Latest);
        Assert.Equal(450, timeline.Total);
        Assert.Equal(2, timeline.SeriesCount);
    }

    [Fact]
    public void A_counter_that_restarts_does_not_go_negative()
    {
        var counter = Instrument(MetricKind.Sum, monotonic: true, cumulative: true);
        var timeline = Single(Series(counter, "", Number(0, 10, 100), Number(15, 20, 25)));
        Assert.Equal([10.0, 5.0], timeline.Points.Select(p => p.Value));
    }

    [Fact]
    public void A_delta_counter_is_divided_by_its_interval()
    {
        var counter = Instrument(MetricKind.Sum, monotonic: true, cumulative: false);
        var timeline = Single(Series(counter, "", Number(0, 10, 100), Number(10, 20, 300)));
        Assert.Equal([10.0, 30.0], timeline.Points.Select(p => p.Value));
        Assert.Equal(400, timeline.Total);
    }

    [Fact]
    public void A_histogram_shows_the_mean_of_each_interval_and_skips_empty_ones()
    {
        var histogram = Instrument(MetricKind.Histogram, monotonic: false, cumulative: true) with { Unit = "ms" };
        var timeline = Single(Series(histogram, "", Distribution(10, 2, 30), Distribution(20, 3, 70), Distribution(30, 3, 70)));
        Assert.Equal("mean", timeline.Shows);
        Assert.Equal("ms", timeline.DisplayUnit);
        Assert.Equal([15.0, 40.0], timeline.Points.Select(p => p.Value));
        Assert.Equal(3, timeline.Total);
    }

    [Fact]
    public void Gauges_show_their_value_and_timelines_are_trimmed()
    {
        var gauge = Instrument(MetricKind.Gauge, monotonic: false, cumulative: false) with { Name = "process.memory.usage", Unit = "By" };
        var points = Enumerable.Range(1, 10).Select(i => Number(0, i, i * 1000)).ToArray();
        var timeline = MetricTimeline.Build([Series(gauge, "", points)], maxPoints: 4).Single();
        Assert.Equal("value", timeline.Shows);
        Assert.Equal([7000.0, 8000.0, 9000.0, 10000.0], timeline.Points.Select(p => p.Value));
        Assert.Null(timeline.Total);
    }

    private static MetricTimeline Single(params MetricSeriesSnapshot[] series) => Assert.Single(MetricTimeline.Build(series));

    private static MetricInstrument Instrument(MetricKind kind, bool monotonic, bool cumulative) =>
        new("transactions", "test", "dvdsim.rentals", "{rental}", "", kind, monotonic, cumulative);

    private static MetricSeriesSnapshot Series(MetricInstrument instrument, string attribute, params MetricPoint[] points) =>
        new(instrument, attribute == "" ? [] : [new TelemetryAttribute(attribute.Split('=')[0], attribute.Split('=')[1])], points);

    private static MetricPoint Number(int startSecond, int second, double value) =>
        new(T0.AddSeconds(startSecond), T0.AddSeconds(second), value, 0, 0, null, null, null, null);

    private static MetricPoint Distribution(int second, ulong count, double sum) =>
        new(T0, T0.AddSeconds(second), 0, count, sum, null, null, null, null);
}
