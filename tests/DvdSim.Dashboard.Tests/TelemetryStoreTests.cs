using DvdSim.Dashboard.Telemetry;
using Microsoft.Extensions.Logging;

namespace DvdSim.Dashboard.Tests;

public sealed class TelemetryStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Traces_over_the_count_limit_are_evicted_oldest_first()
    {
        var traces = new TraceStore(new TelemetryLimits { MaxTraceCount = 2 });
        traces.Add([Span("t1", "s1"), Span("t2", "s1")]);
        traces.Add([Span("t3", "s1")]);
        traces.Add([Span("t2", "s2")]); // a late span does not make t2 young again

        Assert.Equal(2, traces.TraceCount);
        Assert.Null(traces.Spans(Id("t1")));
        Assert.Equal(2, traces.Spans(Id("t2"))!.Count);
        traces.Add([Span("t4", "s1")]);
        Assert.Null(traces.Spans(Id("t2")));
        Assert.NotNull(traces.Spans(Id("t3")));
        Assert.Equal(2, traces.SpanCount);
    }

    [Fact]
    public void Traces_over_the_span_limit_are_evicted_whole_and_one_trace_is_capped()
    {
        var traces = new TraceStore(new TelemetryLimits { MaxSpanCount = 3 });
        traces.Add([Span("t1", "s1"), Span("t1", "s2")]);
        traces.Add([Span("t2", "s1"), Span("t2", "s2")]);
        Assert.Null(traces.Spans(Id("t1")));
        Assert.Equal(2, traces.SpanCount);

        var dropped = traces.Add([Span("t2", "s3"), Span("t2", "s4"), Span("t2", "s5")]);
        Assert.Equal(2, dropped);
        Assert.Equal(3, traces.Spans(Id("t2"))!.Count);
    }

    [Fact]
    public void A_resent_span_replaces_the_stored_one()
    {
        var traces = new TraceStore(new TelemetryLimits());
        traces.Add([Span("t1", "s1", name: "first try")]);
        traces.Add([Span("t1", "s1", name: "retry")]);
        Assert.Equal("retry", Assert.Single(traces.Spans(Id("t1"))!).Name);
        Assert.Equal(1, traces.SpanCount);
    }

    [Fact]
    public void Trace_summaries_find_the_root_services_and_filter()
    {
        var traces = new TraceStore(new TelemetryLimits());
        traces.Add([
            Span("t1", "s2", parent: "s1", service: "inventory", name: "stock", startMs: 2, durationMs: 3),
            Span("t1", "s1", service: "coordinator", name: "week 1", startMs: 0, durationMs: 40),
            Span("t1", "s3", parent: "s2", service: "payments", name: "pay", startMs: 10, durationMs: 35),
            Span("t2", "s1", service: "inventory", name: "health", startMs: 100, durationMs: 1),
        ]);

        var week = traces.Summary(Id("t1"))!;
        Assert.Equal("week 1", week.RootName);
        Assert.Equal("coordinator", week.RootService);
        Assert.Equal(["coordinator", "inventory", "payments"], week.Services);
        Assert.Equal(45, week.DurationMs, 3);
        Assert.Equal(3, week.SpanCount);

        Assert.Equal([Id("t2"), Id("t1")], traces.Summaries(new TraceQuery()).Select(t => t.TraceId));
        Assert.Equal([Id("t1")], traces.Summaries(new TraceQuery(Service: "payments")).Select(t => t.TraceId));
        Assert.Equal([Id("t1")], traces.Summaries(new TraceQuery(NameContains: "WEEK")).Select(t => t.TraceId));
        Assert.Equal([Id("t1")], traces.Summaries(new TraceQuery(MinDurationMs: 10)).Select(t => t.TraceId));
        Assert.Single(traces.Summaries(new TraceQuery(Limit: 1)));
    }

    [Fact]
    public void A_span_whose_parent_has_not_arrived_counts_as_root()
    {
        var traces = new TraceStore(new TelemetryLimits());
        traces.Add([Span("t1", "s2", parent: "s1", service: "payments", name: "pay")]);
        Assert.Equal("pay", traces.Summary(Id("t1"))!.RootName);
    }

    [Fact]
    public void Logs_are_a_ring_buffer_queried_newest_first()
    {
        var logs = new LogStore(new TelemetryLimits { MaxLogCount = 3 });
        logs.Add([Log("a", "inventory", LogLevel.Information), Log("b", "payments", LogLevel.Warning)]);
        logs.Add([Log("c", "inventory", LogLevel.Error), Log("d", "payments", LogLevel.Debug)]);

        Assert.Equal(3, logs.Count);
        var all = logs.Query(new LogQuery());
        Assert.Equal(["d", "c", "b"], all.Select(l => l.Message));
        Assert.Equal([4L, 3L, 2L], all.Select(l => l.Sequence));
        Assert.Equal(["c"], logs.Query(new LogQuery(Service: "inventory")).Select(l => l.Message));
        Assert.Equal(["c", "b"], logs.Query(new LogQuery(MinLevel: LogLevel.Warning)).Select(l => l.Message));
        Assert.Equal(["d"], logs.Query(new LogQuery(AfterSequence: 3)).Select(l => l.Message));
        Assert.Equal(["d"], logs.Query(new LogQuery(Limit: 1)).Select(l => l.Message));
        Assert.Equal(["b"], logs.Query(new LogQuery(Text: "VALUE-B")).Select(l => l.Message)); // attribute values are searched
    }

    [Fact]
    public void Metric_points_over_the_limit_are_evicted_oldest_first_across_series()
    {
        var metrics = new MetricStore(new TelemetryLimits { MaxMetricsCount = 3 });
        var rentals = Instrument("dvdsim.rentals");
        var payments = Instrument("dvdsim.payments");
        metrics.Add(rentals, [], Point(1, 10));
        metrics.Add(payments, [], Point(1, 20));
        metrics.Add(rentals, [], Point(2, 11));
        metrics.Add(rentals, [new TelemetryAttribute("store", "2")], Point(2, 5));

        Assert.Equal(3, metrics.PointCount);
        Assert.Equal([11.0], Assert.Single(metrics.Series(name: "dvdsim.rentals"), s => s.Attributes.Count == 0).Points.Select(p => p.Value));
        metrics.Add(rentals, [], Point(3, 12));
        Assert.Empty(metrics.Series(name: "dvdsim.payments")); // its only point was evicted, so the series went with it
        Assert.Equal(3, metrics.PointCount);
    }

    [Fact]
    public async Task The_store_stays_consistent_under_concurrent_writers_and_readers()
    {
        var store = new TelemetryStore(new TelemetryLimits { MaxTraceCount = 50, MaxLogCount = 100, MaxMetricsCount = 100 });
        var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                store.Traces.Add([Span($"w{writer}i{i}", "s1"), Span($"w{writer}i{i}", "s2", parent: "s1")]);
                store.Logs.Add([Log($"{writer}-{i}", "inventory", LogLevel.Information)]);
                store.Metrics.Add(Instrument("dvdsim.rentals"), [new TelemetryAttribute("writer", writer.ToString())], Point(i, i));
            }
        }));
        var reader = Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                Assert.True(store.Traces.Summaries(new TraceQuery()).Count <= 50);
                Assert.True(store.Logs.Query(new LogQuery()).Count <= 100);
                MetricTimeline.Build(store.Metrics.Series());
            }
        });
        await Task.WhenAll([.. writers, reader]);

        Assert.Equal(50, store.Traces.TraceCount);
        Assert.Equal(100, store.Traces.SpanCount);
        Assert.Equal(100, store.Logs.Count);
        Assert.Equal(100, store.Metrics.PointCount);
        Assert.Equal(100, store.Metrics.Series().Sum(s => s.Points.Count));
        Assert.Equal(2000, store.Logs.Query(new LogQuery(Limit: 1)).Single().Sequence);
    }

    internal static string Id(string name) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(name)));

    internal static SpanRecord Span(string trace, string span, string? parent = null, string service = "coordinator", string name = "work",
        double startMs = 0, double durationMs = 1) =>
        new(Id(trace), Id(span)[..16], parent is null ? null : Id(parent)[..16], service, null, "test", name, "internal",
            T0.AddMilliseconds(startMs), T0.AddMilliseconds(startMs + durationMs), "unset", null, [], []);

    private static LogEntry Log(string message, string service, LogLevel level) =>
        new(0, T0, service, null, "test", level, 0, "", message, [new TelemetryAttribute("key", "value-" + message)], null, null, null);

    private static MetricInstrument Instrument(string name) => new("transactions", "test", name, "{rental}", "", MetricKind.Sum, true, true);

    private static MetricPoint Point(int second, double value) => new(T0, T0.AddSeconds(second), value, 0, 0, null, null, null, null);
}
