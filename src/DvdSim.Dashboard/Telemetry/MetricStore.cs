namespace DvdSim.Dashboard.Telemetry;

/// <summary>
/// Metric time series, bounded by <see cref="TelemetryLimits.MaxMetricsCount"/> data points over all series:
/// the point received longest ago is evicted first, whatever its series.
/// </summary>
public sealed class MetricStore
{
    private readonly object _gate = new();
    private readonly TelemetryLimits _limits;
    private readonly Dictionary<string, StoredSeries> _seriesByKey = new(StringComparer.Ordinal);
    // One entry per stored point, in arrival order: the head's series holds the oldest point at its own head.
    private readonly Queue<StoredSeries> _arrivalOrder = new();

    public MetricStore(TelemetryLimits limits) => _limits = limits;

    public int PointCount { get { lock (_gate) return _arrivalOrder.Count; } }

    public void Add(MetricInstrument instrument, IReadOnlyList<TelemetryAttribute> attributes, MetricPoint point)
    {
        var key = SeriesKey(instrument, attributes);
        lock (_gate)
        {
            if (!_seriesByKey.TryGetValue(key, out var series))
            {
                series = new StoredSeries(key, instrument, attributes);
                _seriesByKey.Add(key, series);
            }
            // The latest description wins; temporality or kind may change when a service is reconfigured.
            series.Instrument = instrument;
            series.Points.Enqueue(point);
            _arrivalOrder.Enqueue(series);

            while (_arrivalOrder.Count > Math.Max(1, _limits.MaxMetricsCount))
            {
                var oldest = _arrivalOrder.Dequeue();
                oldest.Points.Dequeue();
                if (oldest.Points.Count == 0) _seriesByKey.Remove(oldest.Key);
            }
        }
    }

    /// <summary>Copies of the series, optionally of one service and/or one instrument name.</summary>
    public IReadOnlyList<MetricSeriesSnapshot> Series(string? service = null, string? name = null)
    {
        lock (_gate)
        {
            return _seriesByKey.Values
                .Where(s => (service is null || s.Instrument.Service == service) && (name is null || s.Instrument.Name == name))
                .Select(s => new MetricSeriesSnapshot(s.Instrument, s.Attributes, s.Points.ToArray()))
                .ToArray();
        }
    }

    private static string SeriesKey(MetricInstrument instrument, IReadOnlyList<TelemetryAttribute> attributes)
    {
        var attributeKey = string.Join('\u001f', attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + '\u001e' + a.Value));
        return string.Join('\u001d', instrument.Service, instrument.Scope, instrument.Name, attributeKey);
    }

    private sealed class StoredSeries(string key, MetricInstrument instrument, IReadOnlyList<TelemetryAttribute> attributes)
    {
        public string Key { get; } = key;
        public MetricInstrument Instrument { get; set; } = instrument;
        public IReadOnlyList<TelemetryAttribute> Attributes { get; } = attributes;
        public Queue<MetricPoint> Points { get; } = new();
    }
}
