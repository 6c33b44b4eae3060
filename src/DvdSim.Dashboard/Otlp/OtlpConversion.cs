using System.Globalization;
using DvdSim.Dashboard.Otlp.Proto.Collector.Logs;
using DvdSim.Dashboard.Otlp.Proto.Collector.Metrics;
using DvdSim.Dashboard.Otlp.Proto.Collector.Trace;
using DvdSim.Dashboard.Otlp.Proto.Common;
using DvdSim.Dashboard.Otlp.Proto.Metrics;
using DvdSim.Dashboard.Telemetry;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Microsoft.Extensions.Logging;
using ProtoSpan = DvdSim.Dashboard.Otlp.Proto.Trace.Span;
using ProtoStatus = DvdSim.Dashboard.Otlp.Proto.Trace.Status;
using ProtoResource = DvdSim.Dashboard.Otlp.Proto.Resource.Resource;

namespace DvdSim.Dashboard.Otlp;

/// <summary>Turns decoded OTLP requests into the store's records, applying the attribute limits.</summary>
internal sealed class OtlpConversion(TelemetryLimits limits)
{
    internal const string UnknownService = "unknown_service";
    private const uint NoRecordedValueFlag = 1; // DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK

    /// <summary>Stores the spans; returns how many were rejected (invalid ids) or dropped (per-trace limit).</summary>
    public long StoreTraces(ExportTraceServiceRequest request, TelemetryStore store)
    {
        long rejected = 0;
        var spans = new List<SpanRecord>();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var (service, instance) = Identify(resourceSpans.Resource);
            store.NoteService(service);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = scopeSpans.Scope?.Name ?? "";
                foreach (var span in scopeSpans.Spans)
                {
                    var record = ToSpan(span, service, instance, scope);
                    if (record is null) rejected++;
                    else spans.Add(record);
                }
            }
        }
        return rejected + store.Traces.Add(spans);
    }

    /// <summary>Stores the log records; returns how many were rejected.</summary>
    public long StoreLogs(ExportLogsServiceRequest request, TelemetryStore store)
    {
        var entries = new List<LogEntry>();
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var (service, instance) = Identify(resourceLogs.Resource);
            store.NoteService(service);
            foreach (var scopeLogs in resourceLogs.ScopeLogs)
            {
                var scope = scopeLogs.Scope?.Name ?? "";
                foreach (var log in scopeLogs.LogRecords)
                {
                    var nanos = log.TimeUnixNano != 0 ? log.TimeUnixNano : log.ObservedTimeUnixNano;
                    var severity = (int)log.SeverityNumber;
                    entries.Add(new LogEntry(
                        Sequence: 0,
                        Time: nanos != 0 ? FromUnixNanos(nanos) : DateTimeOffset.UtcNow,
                        Service: service,
                        ServiceInstanceId: instance,
                        Scope: scope,
                        Level: LevelOf(severity, log.SeverityText),
                        SeverityNumber: severity,
                        SeverityText: log.SeverityText,
                        Message: log.Body is null ? "" : Truncate(Render(log.Body)),
                        Attributes: Attributes(log.Attributes),
                        TraceId: IdOrNull(log.TraceId, 16),
                        SpanId: IdOrNull(log.SpanId, 8),
                        EventName: log.EventName is { Length: > 0 } e ? e : null));
                }
            }
        }
        store.Logs.Add(entries);
        return 0;
    }

    /// <summary>Stores the data points; returns how many were rejected (no timestamp).</summary>
    public long StoreMetrics(ExportMetricsServiceRequest request, TelemetryStore store)
    {
        long rejected = 0;
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            var (service, _) = Identify(resourceMetrics.Resource);
            store.NoteService(service);
            foreach (var scopeMetrics in resourceMetrics.ScopeMetrics)
            {
                var scope = scopeMetrics.Scope?.Name ?? "";
                foreach (var metric in scopeMetrics.Metrics)
                {
                    rejected += StoreMetric(metric, service, scope, store);
                }
            }
        }
        return rejected;
    }

    private long StoreMetric(Metric metric, string service, string scope, TelemetryStore store)
    {
        long rejected = 0;
        MetricInstrument Instrument(MetricKind kind, bool monotonic, AggregationTemporality temporality) =>
            new(service, scope, metric.Name, metric.Unit, metric.Description, kind, monotonic,
                IsCumulative: temporality != AggregationTemporality.Delta);

        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Gauge:
                AddNumbers(metric.Gauge.DataPoints, Instrument(MetricKind.Gauge, false, AggregationTemporality.Unspecified));
                break;
            case Metric.DataOneofCase.Sum:
                AddNumbers(metric.Sum.DataPoints, Instrument(MetricKind.Sum, metric.Sum.IsMonotonic, metric.Sum.AggregationTemporality));
                break;
            case Metric.DataOneofCase.Histogram:
            {
                var instrument = Instrument(MetricKind.Histogram, false, metric.Histogram.AggregationTemporality);
                foreach (var p in metric.Histogram.DataPoints)
                {
                    if (p.TimeUnixNano == 0) { rejected++; continue; }
                    store.Metrics.Add(instrument, Attributes(p.Attributes), new MetricPoint(
                        FromUnixNanos(p.StartTimeUnixNano), FromUnixNanos(p.TimeUnixNano), 0, p.Count,
                        p.HasSum ? p.Sum : 0, p.HasMin ? p.Min : null, p.HasMax ? p.Max : null,
                        p.ExplicitBounds.ToArray(), p.BucketCounts.ToArray()));
                }
                break;
            }
            case Metric.DataOneofCase.ExponentialHistogram:
            {
                var instrument = Instrument(MetricKind.ExponentialHistogram, false, metric.ExponentialHistogram.AggregationTemporality);
                foreach (var p in metric.ExponentialHistogram.DataPoints)
                {
                    if (p.TimeUnixNano == 0) { rejected++; continue; }
                    store.Metrics.Add(instrument, Attributes(p.Attributes), new MetricPoint(
                        FromUnixNanos(p.StartTimeUnixNano), FromUnixNanos(p.TimeUnixNano), 0, p.Count,
                        p.HasSum ? p.Sum : 0, p.HasMin ? p.Min : null, p.HasMax ? p.Max : null, null, null));
                }
                break;
            }
            case Metric.DataOneofCase.Summary:
            {
                // Summary points are cumulative by definition.
                var instrument = Instrument(MetricKind.Summary, false, AggregationTemporality.Cumulative);
                foreach (var p in metric.Summary.DataPoints)
                {
                    if (p.TimeUnixNano == 0) { rejected++; continue; }
                    store.Metrics.Add(instrument, Attributes(p.Attributes), new MetricPoint(
                        FromUnixNanos(p.StartTimeUnixNano), FromUnixNanos(p.TimeUnixNano), 0, p.Count, p.Sum, null, null, null, null));
                }
                break;
            }
        }
        return rejected;

        void AddNumbers(RepeatedField<NumberDataPoint> points, MetricInstrument instrument)
        {
            foreach (var p in points)
            {
                if (p.TimeUnixNano == 0) { rejected++; continue; }
                // A point flagged "no recorded value" is a staleness marker, not a zero.
                if ((p.Flags & NoRecordedValueFlag) != 0) continue;
                var value = p.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? p.AsInt : p.AsDouble;
                store.Metrics.Add(instrument, Attributes(p.Attributes), new MetricPoint(
                    FromUnixNanos(p.StartTimeUnixNano), FromUnixNanos(p.TimeUnixNano), value, 0, 0, null, null, null, null));
            }
        }
    }

    private SpanRecord? ToSpan(ProtoSpan span, string service, string? instance, string scope)
    {
        var traceId = IdOrNull(span.TraceId, 16);
        var spanId = IdOrNull(span.SpanId, 8);
        if (traceId is null || spanId is null) return null;
        if (!span.ParentSpanId.IsEmpty && span.ParentSpanId.Length != 8) return null;

        var start = FromUnixNanos(span.StartTimeUnixNano);
        var end = span.EndTimeUnixNano >= span.StartTimeUnixNano ? FromUnixNanos(span.EndTimeUnixNano) : start;
        return new SpanRecord(
            traceId,
            spanId,
            IdOrNull(span.ParentSpanId, 8),
            service,
            instance,
            scope,
            span.Name,
            span.Kind switch
            {
                ProtoSpan.Types.SpanKind.Internal => "internal",
                ProtoSpan.Types.SpanKind.Server => "server",
                ProtoSpan.Types.SpanKind.Client => "client",
                ProtoSpan.Types.SpanKind.Producer => "producer",
                ProtoSpan.Types.SpanKind.Consumer => "consumer",
                _ => "unspecified",
            },
            start,
            end,
            span.Status?.Code switch
            {
                ProtoStatus.Types.StatusCode.Ok => "ok",
                ProtoStatus.Types.StatusCode.Error => "error",
                _ => "unset",
            },
            span.Status?.Message is { Length: > 0 } message ? message : null,
            Attributes(span.Attributes),
            span.Events
                .Take(Math.Max(0, limits.MaxSpanEventCount))
                .Select(e => new SpanEventRecord(FromUnixNanos(e.TimeUnixNano), e.Name, Attributes(e.Attributes)))
                .ToArray());
    }

    private static (string Service, string? Instance) Identify(ProtoResource? resource)
    {
        string? service = null, instance = null;
        if (resource is not null)
        {
            foreach (var attribute in resource.Attributes)
            {
                if (attribute.Key == "service.name") service = attribute.Value?.StringValue;
                else if (attribute.Key == "service.instance.id") instance = attribute.Value is null ? null : Render(attribute.Value);
            }
        }
        return (string.IsNullOrEmpty(service) ? UnknownService : service, string.IsNullOrEmpty(instance) ? null : instance);
    }

    private IReadOnlyList<TelemetryAttribute> Attributes(RepeatedField<KeyValue> attributes)
    {
        if (attributes.Count == 0) return [];
        var count = Math.Min(attributes.Count, Math.Max(0, limits.MaxAttributeCount));
        var result = new TelemetryAttribute[count];
        for (var i = 0; i < count; i++)
        {
            var attribute = attributes[i];
            result[i] = new TelemetryAttribute(attribute.Key, attribute.Value is null ? "" : Truncate(Render(attribute.Value)));
        }
        return result;
    }

    private string Truncate(string value) =>
        value.Length <= limits.MaxAttributeLength ? value : string.Concat(value.AsSpan(0, Math.Max(0, limits.MaxAttributeLength)), "…");

    internal static string Render(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
        AnyValue.ValueOneofCase.ArrayValue => "[" + string.Join(", ", value.ArrayValue.Values.Select(Render)) + "]",
        AnyValue.ValueOneofCase.KvlistValue => "{" + string.Join(", ", value.KvlistValue.Values.Select(kv => kv.Key + ": " + (kv.Value is null ? "" : Render(kv.Value)))) + "}",
        _ => "",
    };

    internal static DateTimeOffset FromUnixNanos(ulong nanos) => DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100));

    // All-zero ids are "no id" in OTLP; ids of the wrong length are invalid.
    private static string? IdOrNull(ByteString id, int length)
    {
        if (id.Length != length) return null;
        var span = id.Span;
        return span.IndexOfAnyExcept((byte)0) < 0 ? null : Convert.ToHexStringLower(span);
    }

    private static LogLevel LevelOf(int severityNumber, string severityText) => severityNumber switch
    {
        >= 1 and <= 4 => LogLevel.Trace,
        >= 5 and <= 8 => LogLevel.Debug,
        >= 9 and <= 12 => LogLevel.Information,
        >= 13 and <= 16 => LogLevel.Warning,
        >= 17 and <= 20 => LogLevel.Error,
        >= 21 => LogLevel.Critical,
        _ => severityText.ToUpperInvariant() switch
        {
            "TRACE" => LogLevel.Trace,
            "DEBUG" => LogLevel.Debug,
            "WARN" or "WARNING" => LogLevel.Warning,
            "ERROR" => LogLevel.Error,
            "FATAL" or "CRITICAL" => LogLevel.Critical,
            _ => LogLevel.Information,
        },
    };
}
