using DvdSim.Dashboard.Telemetry;

namespace DvdSim.EndToEnd.Tests;

/// <summary>What the dashboard shows of a simulated week: one trace, from WeekStarted to WeekCompleted, across four services.</summary>
[Collection(SimulatedRuns.Collection)]
public sealed class WeekTraceTests(SimulatedRuns runs)
{
    private const string WeekCompletedSend = "DvdSim.Contracts:WeekCompleted send";

    [Fact]
    public void A_week_is_one_trace_that_ends_with_its_week_completed_and_no_week_completed_is_a_trace_of_its_own()
    {
        var traces = runs.Dashboard.Telemetry.Traces;
        Assert.Empty(traces.Summaries(new TraceQuery(NameContains: "WeekCompleted", Limit: int.MaxValue)));

        foreach (var week in new[] { 2, 30, SimulatedRuns.StandardWeeks })
        {
            var id = traces.FindWeekTrace(runs.Main, week);
            Assert.NotNull(id);
            var spans = traces.Spans(id)!;
            Assert.Equal(["coordinator", "inventory", "payments", "transactions"], spans.Select(s => s.Service).Distinct().Order());
            var completed = Assert.Single(spans, s => s.Name == WeekCompletedSend);
            Assert.Equal("coordinator", completed.Service);
            Assert.Equal(spans.Single(s => s.Name == $"week {week}").SpanId, completed.ParentSpanId);
        }
    }
}
