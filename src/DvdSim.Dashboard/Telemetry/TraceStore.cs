namespace DvdSim.Dashboard.Telemetry;

public sealed record TraceQuery(string? Service = null, string? NameContains = null, double? MinDurationMs = null, int Limit = 200);

/// <summary>
/// Spans grouped by trace, bounded by <see cref="TelemetryLimits.MaxTraceCount"/> and
/// <see cref="TelemetryLimits.MaxSpanCount"/>: whole traces are evicted, the one first seen longest ago first.
/// </summary>
public sealed class TraceStore
{
    private readonly object _gate = new();
    private readonly TelemetryLimits _limits;
    private readonly Dictionary<string, StoredTrace> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<StoredTrace> _firstSeenOrder = new();
    private int _spanCount;

    public TraceStore(TelemetryLimits limits) => _limits = limits;

    public int TraceCount { get { lock (_gate) return _byId.Count; } }

    public int SpanCount { get { lock (_gate) return _spanCount; } }

    /// <summary>Adds spans; a span whose id is already stored in its trace replaces it (exporters retry). Returns how many were dropped.</summary>
    public int Add(IEnumerable<SpanRecord> spans)
    {
        var dropped = 0;
        lock (_gate)
        {
            foreach (var span in spans)
            {
                if (!_byId.TryGetValue(span.TraceId, out var trace))
                {
                    trace = new StoredTrace(span.TraceId);
                    trace.Node = _firstSeenOrder.AddLast(trace);
                    _byId.Add(span.TraceId, trace);
                }

                if (trace.SpanIndex.TryGetValue(span.SpanId, out var index))
                {
                    trace.Spans[index] = span;
                }
                else if (trace.Spans.Count >= _limits.MaxSpanCount)
                {
                    dropped++;
                    continue;
                }
                else
                {
                    trace.SpanIndex.Add(span.SpanId, trace.Spans.Count);
                    trace.Spans.Add(span);
                    _spanCount++;
                }
                trace.Summary = null;
            }
            EvictOldest();
        }
        return dropped;
    }

    public IReadOnlyList<SpanRecord>? Spans(string traceId)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(traceId, out var trace)
                ? trace.Spans.OrderBy(s => s.Start).ToArray()
                : null;
        }
    }

    public TraceSummary? Summary(string traceId)
    {
        lock (_gate) return _byId.TryGetValue(traceId, out var trace) ? trace.Summarize() : null;
    }

    /// <summary>Traces matching the query, the most recently started first.</summary>
    public IReadOnlyList<TraceSummary> Summaries(TraceQuery query)
    {
        List<TraceSummary> matching;
        lock (_gate)
        {
            matching = new List<TraceSummary>();
            foreach (var trace in _firstSeenOrder)
            {
                var summary = trace.Summarize();
                if (query.Service is { Length: > 0 } service && !summary.Services.Contains(service, StringComparer.Ordinal)) continue;
                if (query.NameContains is { Length: > 0 } name && !summary.RootName.Contains(name, StringComparison.OrdinalIgnoreCase)) continue;
                if (query.MinDurationMs is { } minMs && summary.DurationMs < minMs) continue;
                matching.Add(summary);
            }
        }
        return matching.OrderByDescending(s => s.Start).Take(Math.Max(0, query.Limit)).ToArray();
    }

    /// <summary>The trace of the coordinator's span "week {n}" tagged with the given database, newest first.</summary>
    public string? FindWeekTrace(string database, int week)
    {
        var spanName = $"week {week}";
        var weekText = week.ToString(System.Globalization.CultureInfo.InvariantCulture);
        lock (_gate)
        {
            for (var node = _firstSeenOrder.Last; node is not null; node = node.Previous)
            {
                foreach (var span in node.Value.Spans)
                {
                    if (span.Name == spanName
                        && span.Attribute("dvdsim.database") == database
                        && (span.Attribute("dvdsim.week") ?? weekText) == weekText)
                    {
                        return node.Value.TraceId;
                    }
                }
            }
        }
        return null;
    }

    private void EvictOldest()
    {
        while (_firstSeenOrder.First is { } oldest
               && (_byId.Count > _limits.MaxTraceCount || (_spanCount > _limits.MaxSpanCount && _byId.Count > 1)))
        {
            _firstSeenOrder.RemoveFirst();
            _byId.Remove(oldest.Value.TraceId);
            _spanCount -= oldest.Value.Spans.Count;
        }
    }

    private sealed class StoredTrace(string traceId)
    {
        public string TraceId { get; } = traceId;
        public List<SpanRecord> Spans { get; } = new();
        public Dictionary<string, int> SpanIndex { get; } = new(StringComparer.Ordinal);
        public LinkedListNode<StoredTrace>? Node { get; set; }
        public TraceSummary? Summary { get; set; }

        public TraceSummary Summarize() => Summary ??= Build();

        private TraceSummary Build()
        {
            var ids = SpanIndex.Keys.ToHashSet(StringComparer.Ordinal);
            // A root has no parent here; spans whose parent has not arrived (yet) count as roots too.
            var root = Spans.Where(s => s.ParentSpanId is null).MinBy(s => s.Start)
                       ?? Spans.Where(s => !ids.Contains(s.ParentSpanId!)).MinBy(s => s.Start)
                       ?? Spans.MinBy(s => s.Start)!;
            var start = Spans.Min(s => s.Start);
            var end = Spans.Max(s => s.End);
            var services = Spans.OrderBy(s => s.Start).Select(s => s.Service).Distinct(StringComparer.Ordinal).ToArray();
            return new TraceSummary(
                TraceId,
                start,
                Math.Max(0, (end - start).TotalMilliseconds),
                root.Name,
                root.Service,
                services,
                Spans.Count,
                Spans.Any(s => s.Status == "error"));
        }
    }
}
