using System.Collections.Concurrent;

namespace DvdSim.Dashboard.Telemetry;

/// <summary>Everything the OTLP receiver has accepted, in memory and bounded by <see cref="TelemetryLimits"/>. Thread-safe.</summary>
public sealed class TelemetryStore
{
    private readonly ConcurrentDictionary<string, byte> _services = new(StringComparer.Ordinal);

    public TelemetryStore(TelemetryLimits limits)
    {
        Limits = limits;
        Traces = new TraceStore(limits);
        Logs = new LogStore(limits);
        Metrics = new MetricStore(limits);
    }

    public TelemetryLimits Limits { get; }
    public TraceStore Traces { get; }
    public LogStore Logs { get; }
    public MetricStore Metrics { get; }

    /// <summary>Every service.name seen in any signal, sorted.</summary>
    public IReadOnlyList<string> Services() => _services.Keys.Order(StringComparer.Ordinal).ToArray();

    internal void NoteService(string service) => _services.TryAdd(service, 0);
}
