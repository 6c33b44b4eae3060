using Microsoft.Extensions.Logging;

namespace DvdSim.Dashboard.Telemetry;

public sealed record LogQuery(
    string? Service = null,
    LogLevel? MinLevel = null,
    string? Text = null,
    string? TraceId = null,
    long? AfterSequence = null,
    int Limit = 500);

/// <summary>Structured logs in a ring buffer of <see cref="TelemetryLimits.MaxLogCount"/> records: the oldest is overwritten.</summary>
public sealed class LogStore
{
    private readonly object _gate = new();
    private readonly LogEntry?[] _ring;
    private int _next;
    private int _count;
    private long _lastSequence;

    public LogStore(TelemetryLimits limits) => _ring = new LogEntry?[Math.Max(1, limits.MaxLogCount)];

    public int Count { get { lock (_gate) return _count; } }

    /// <summary>Stores the records, giving each the next sequence number (whatever sequence they carried).</summary>
    public void Add(IEnumerable<LogEntry> entries)
    {
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                _ring[_next] = entry with { Sequence = ++_lastSequence };
                _next = (_next + 1) % _ring.Length;
                _count = Math.Min(_count + 1, _ring.Length);
            }
        }
    }

    /// <summary>Matching records, newest first.</summary>
    public IReadOnlyList<LogEntry> Query(LogQuery query)
    {
        var result = new List<LogEntry>();
        lock (_gate)
        {
            for (var i = 1; i <= _count && result.Count < query.Limit; i++)
            {
                var entry = _ring[(_next - i + _ring.Length) % _ring.Length]!;
                if (query.AfterSequence is { } after && entry.Sequence <= after) break;
                if (Matches(entry, query)) result.Add(entry);
            }
        }
        return result;
    }

    private static bool Matches(LogEntry entry, LogQuery query)
    {
        if (query.Service is { Length: > 0 } service && entry.Service != service) return false;
        if (query.MinLevel is { } minLevel && entry.Level < minLevel) return false;
        if (query.TraceId is { Length: > 0 } traceId && entry.TraceId != traceId) return false;
        if (query.Text is { Length: > 0 } text
            && !entry.Message.Contains(text, StringComparison.OrdinalIgnoreCase)
            && !entry.Scope.Contains(text, StringComparison.OrdinalIgnoreCase)
            && !entry.Attributes.Any(a => a.Value.Contains(text, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }
        return true;
    }
}
