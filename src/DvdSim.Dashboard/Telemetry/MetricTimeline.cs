namespace DvdSim.Dashboard.Telemetry;

public sealed record MetricTimelinePoint(DateTimeOffset Time, double Value);

/// <summary>
/// One instrument of one service as a person reads it, all attribute sets combined:
/// counters as a rate per second, histograms as the mean of the values recorded in each interval,
/// gauges and up-down counters as their value.
/// </summary>
public sealed record MetricTimeline(
    string Service,
    string Name,
    string Description,
    string Unit,
    MetricKind Kind,
    string Shows,          // "rate", "mean" or "value"
    string DisplayUnit,
    int SeriesCount,
    double? Latest,
    double? Total,         // counters: everything counted so far; histograms: values recorded so far
    IReadOnlyList<MetricTimelinePoint> Points)
{
    /// <summary>Builds one timeline per (service, instrument name), keeping the last <paramref name="maxPoints"/> points.</summary>
    public static IReadOnlyList<MetricTimeline> Build(IEnumerable<MetricSeriesSnapshot> series, int maxPoints = 120)
    {
        return series
            .GroupBy(s => (s.Instrument.Service, s.Instrument.Name))
            .Select(group => Combine(group.ToArray(), maxPoints))
            .OrderBy(t => t.Service, StringComparer.Ordinal)
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToArray();
    }

    private static MetricTimeline Combine(MetricSeriesSnapshot[] series, int maxPoints)
    {
        var instrument = series.OrderByDescending(s => s.Points.Count == 0 ? DateTimeOffset.MinValue : s.Points[^1].Time).First().Instrument;
        var isRate = instrument.Kind == MetricKind.Sum && instrument.IsMonotonic;
        var isMean = instrument.Kind is MetricKind.Histogram or MetricKind.ExponentialHistogram or MetricKind.Summary;

        // Exports of one collection share a timestamp; 100 ms buckets absorb small skews between series.
        var buckets = new SortedDictionary<long, (double Value, double Sum, double Count)>();
        double total = 0;
        foreach (var one in series)
        {
            foreach (var (time, value, sum, count) in Contributions(one, isRate, isMean))
            {
                var key = time.UtcTicks / TimeSpan.TicksPerMillisecond / 100;
                buckets.TryGetValue(key, out var acc);
                buckets[key] = (acc.Value + value, acc.Sum + sum, acc.Count + count);
            }
            total += TotalOf(one, isMean);
        }

        var points = new List<MetricTimelinePoint>();
        foreach (var (key, acc) in buckets)
        {
            var time = new DateTimeOffset(key * 100 * TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
            if (isMean)
            {
                if (acc.Count > 0) points.Add(new MetricTimelinePoint(time, acc.Sum / acc.Count));
            }
            else
            {
                points.Add(new MetricTimelinePoint(time, acc.Value));
            }
        }
        if (points.Count > maxPoints) points.RemoveRange(0, points.Count - maxPoints);

        var unit = instrument.Unit;
        var displayUnit = isRate ? (unit is "" or "1" ? "/s" : $"{unit}/s") : unit;
        return new MetricTimeline(
            instrument.Service,
            instrument.Name,
            instrument.Description,
            unit,
            instrument.Kind,
            isRate ? "rate" : isMean ? "mean" : "value",
            displayUnit,
            series.Length,
            points.Count > 0 ? points[^1].Value : null,
            isRate || isMean ? total : null,
            points);
    }

    // Per point of one series: (time, value, sum, count) to add into the combined bucket of that time.
    private static IEnumerable<(DateTimeOffset, double, double, double)> Contributions(MetricSeriesSnapshot series, bool isRate, bool isMean)
    {
        var cumulative = series.Instrument.IsCumulative;
        MetricPoint? previous = null;
        foreach (var point in series.Points)
        {
            // A cumulative series restarts (new start time, or a value going down) when its process restarts.
            var restarted = previous is null || point.Start != previous.Start || point.Value < previous.Value || point.Count < previous.Count;
            if (isRate)
            {
                double rate;
                if (!cumulative)
                {
                    rate = PerSecond(point.Value, point.Time - point.Start);
                }
                else if (restarted)
                {
                    rate = PerSecond(point.Value, point.Time - point.Start);
                }
                else
                {
                    rate = PerSecond(point.Value - previous!.Value, point.Time - previous.Time);
                }
                yield return (point.Time, rate, 0, 0);
            }
            else if (isMean)
            {
                if (cumulative && !restarted)
                {
                    yield return (point.Time, 0, point.Sum - previous!.Sum, point.Count - (double)previous.Count);
                }
                else
                {
                    yield return (point.Time, 0, point.Sum, point.Count);
                }
            }
            else
            {
                yield return (point.Time, point.Value, 0, 0);
            }
            previous = point;
        }
    }

    private static double TotalOf(MetricSeriesSnapshot series, bool isMean)
    {
        if (series.Points.Count == 0) return 0;
        if (series.Instrument.IsCumulative) return isMean ? series.Points[^1].Count : series.Points[^1].Value;
        return series.Points.Sum(p => isMean ? (double)p.Count : p.Value);
    }

    private static double PerSecond(double amount, TimeSpan interval) =>
        interval.TotalSeconds > 0 ? amount / interval.TotalSeconds : 0;
}
