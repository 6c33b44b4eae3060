using Microsoft.Extensions.Logging;

namespace DvdSim.Dashboard.Telemetry;

/// <summary>An attribute as shown to a person: every OTLP value type rendered as text.</summary>
public sealed record TelemetryAttribute(string Key, string Value);

/// <summary>One span, decoded from OTLP. Ids are lower-case hex; <see cref="Service"/> is the resource's service.name.</summary>
public sealed record SpanRecord(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Service,
    string? ServiceInstanceId,
    string Scope,
    string Name,
    string Kind,          // "internal", "server", "client", "producer", "consumer", "unspecified"
    DateTimeOffset Start,
    DateTimeOffset End,
    string Status,        // "unset", "ok", "error"
    string? StatusMessage,
    IReadOnlyList<TelemetryAttribute> Attributes,
    IReadOnlyList<SpanEventRecord> Events)
{
    public double DurationMs => Math.Max(0, (End - Start).TotalMilliseconds);

    public string? Attribute(string key) => Attributes.FirstOrDefault(a => a.Key == key)?.Value;
}

public sealed record SpanEventRecord(DateTimeOffset Time, string Name, IReadOnlyList<TelemetryAttribute> Attributes);

/// <summary>One row of the traces list.</summary>
public sealed record TraceSummary(
    string TraceId,
    DateTimeOffset Start,
    double DurationMs,
    string RootName,
    string RootService,
    IReadOnlyList<string> Services,
    int SpanCount,
    bool HasError);

/// <summary>One structured log record, decoded from OTLP. <see cref="Sequence"/> grows by one per record received.</summary>
public sealed record LogEntry(
    long Sequence,
    DateTimeOffset Time,
    string Service,
    string? ServiceInstanceId,
    string Scope,
    LogLevel Level,
    int SeverityNumber,
    string SeverityText,
    string Message,
    IReadOnlyList<TelemetryAttribute> Attributes,
    string? TraceId,
    string? SpanId,
    string? EventName);

public enum MetricKind { Gauge, Sum, Histogram, ExponentialHistogram, Summary }

/// <summary>What an instrument is: the part of a metric shared by all its data points.</summary>
public sealed record MetricInstrument(
    string Service,
    string Scope,
    string Name,
    string Unit,
    string Description,
    MetricKind Kind,
    bool IsMonotonic,
    bool IsCumulative);

/// <summary>
/// One data point. Gauges and sums carry <see cref="Value"/>; histograms and summaries carry
/// <see cref="Count"/> and <see cref="Sum"/> (and buckets for explicit-bucket histograms).
/// </summary>
public sealed record MetricPoint(
    DateTimeOffset Start,
    DateTimeOffset Time,
    double Value,
    ulong Count,
    double Sum,
    double? Min,
    double? Max,
    IReadOnlyList<double>? ExplicitBounds,
    IReadOnlyList<ulong>? BucketCounts);

/// <summary>A copy of one time series (an instrument with one attribute set), oldest point first.</summary>
public sealed record MetricSeriesSnapshot(
    MetricInstrument Instrument,
    IReadOnlyList<TelemetryAttribute> Attributes,
    IReadOnlyList<MetricPoint> Points);
