using DvdSim.Dashboard.Telemetry;

namespace DvdSim.Dashboard.Web;

/// <summary>A headline figure of the Metrics page: one instrument of one service.</summary>
internal sealed record MetricHighlight(string Key, string Title, MetricTimeline Timeline);

/// <summary>What the Metrics page shows: the simulation's own figures first, memory per service, then every instrument.</summary>
internal sealed record MetricsOverview(
    IReadOnlyList<MetricHighlight> Highlights,
    IReadOnlyList<MetricTimeline> Memory,
    IReadOnlyList<MetricTimeline> Instruments)
{
    // The first of these a service reports is its memory figure (.NET 9+ runtime meter, process instrumentation, older runtime instrumentation).
    internal static readonly string[] MemoryInstrumentPreference =
    [
        "dotnet.process.memory.working_set",
        "process.memory.usage",
        "process.working_set",
        "process.runtime.dotnet.gc.committed_memory.size",
        "dotnet.gc.last_collection.memory.committed_size",
        "process.runtime.dotnet.gc.heap.size",
        "dotnet.gc.last_collection.heap.size",
    ];

    public static MetricsOverview From(IReadOnlyList<MetricTimeline> timelines)
    {
        var highlights = new List<MetricHighlight>();
        foreach (var t in timelines)
        {
            var highlight = t.Name switch
            {
                "dvdsim.rentals" => new MetricHighlight("rentals-per-second", "Rentals per second", t),
                "dvdsim.payments" => new MetricHighlight("payments-per-second", "Payments per second", t),
                "dvdsim.week.duration" => new MetricHighlight("week-duration", "Week duration (mean)", t),
                _ when t.Name.Contains("queue", StringComparison.OrdinalIgnoreCase) => new MetricHighlight("queue-depth", "Queue depth: " + t.Name, t),
                _ => null,
            };
            if (highlight is not null) highlights.Add(highlight);
        }

        var memory = timelines
            .GroupBy(t => t.Service)
            .Select(service => PreferredMemory(service.ToArray()))
            .OfType<MetricTimeline>()
            .ToArray();

        return new MetricsOverview(
            highlights.OrderBy(h => Array.IndexOf(HighlightOrder, h.Key)).ThenBy(h => h.Timeline.Service, StringComparer.Ordinal).ToArray(),
            memory,
            timelines);
    }

    private static readonly string[] HighlightOrder = ["rentals-per-second", "payments-per-second", "week-duration", "queue-depth"];

    private static MetricTimeline? PreferredMemory(MetricTimeline[] ofOneService)
    {
        foreach (var name in MemoryInstrumentPreference)
        {
            var match = ofOneService.FirstOrDefault(t => t.Name == name);
            if (match is not null) return match;
        }
        return ofOneService.FirstOrDefault(t => t.Unit == "By" && t.Name.Contains("memory", StringComparison.OrdinalIgnoreCase));
    }
}
