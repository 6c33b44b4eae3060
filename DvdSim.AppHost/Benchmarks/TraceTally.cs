using DvdSim.Dashboard.Telemetry;

namespace DvdSim.AppHost.Benchmarks;

/// <summary>
/// Adds up span time per service and kind from the dashboard's trace store while a workload
/// runs. The store is bounded (old traces are evicted), so it is read every few seconds and
/// every span is counted once, by (trace, span id). Spans a service's exporter dropped, or the
/// store evicted between two reads, are missing: the totals are lower bounds.
/// </summary>
internal sealed class TraceTally : IAsyncDisposable
{
    /// <summary>The services' own spans around one week's or one batch's work.</summary>
    public static readonly IReadOnlySet<string> StageSpans =
        new HashSet<string>(["inventory week", "transactions week", "payments batch", "prepare run"], StringComparer.Ordinal);

    private readonly TraceStore? _store;
    private readonly Dictionary<string, HashSet<string>> _counted = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Service, string Kind), (long Spans, double Ms)> _totals = new();
    private readonly Dictionary<(string Service, string Statement), (long Spans, double Ms)> _statements = new();
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TraceTally(TraceStore? store, TimeSpan? interval = null)
    {
        _store = store;
        _loop = store is null ? Task.CompletedTask : LoopAsync(interval ?? TimeSpan.FromSeconds(3));
    }

    private async Task LoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token)) Collect();
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Counts the spans that arrived since the last call.</summary>
    public void Collect()
    {
        if (_store is null) return;
        lock (_lock)
        {
            var live = new HashSet<string>(StringComparer.Ordinal);
            foreach (var trace in _store.Summaries(new TraceQuery(Limit: int.MaxValue)))
            {
                live.Add(trace.TraceId);
                if (!_counted.TryGetValue(trace.TraceId, out var seen)) _counted[trace.TraceId] = seen = new(StringComparer.Ordinal);
                if (seen.Count >= trace.SpanCount) continue;
                foreach (var span in _store.Spans(trace.TraceId) ?? [])
                    if (seen.Add(span.SpanId)) Add(span);
            }
            foreach (var gone in _counted.Keys.Where(id => !live.Contains(id)).ToList()) _counted.Remove(gone);
        }
    }

    private void Add(SpanRecord span)
    {
        if (Kind(span) is not { } kind) return;
        var key = (span.Service, kind);
        var (spans, ms) = _totals.GetValueOrDefault(key);
        _totals[key] = (spans + 1, ms + span.DurationMs);
        if (kind != "sql") return;
        var statement = (span.Service, SqlShape(span.Attribute("db.query.text") ?? span.Attribute("db.statement") ?? span.Name));
        var (count, total) = _statements.GetValueOrDefault(statement);
        _statements[statement] = (count + 1, total + span.DurationMs);
    }

    /// <summary>
    /// What a SQL command does, without its values: "INSERT INTO payment", "LOAD DATA INTO rental",
    /// "SELECT … FROM dvdsim_stage", "UPDATE customer", "UPDATE dvdsim_returned JOIN rental"; a multi-statement command is named by its
    /// first statement other than SET, with "+ N more". The transaction a batch brings along
    /// (START TRANSACTION … COMMIT, see SqlBatch.CommitAsync) is left out of both.
    /// </summary>
    public static string SqlShape(string text)
    {
        var all = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (all.Length == 0) return "(empty)";
        if (all.Length > 1) all = all.Where(s => !IsTransactionControl(s)).ToArray();
        // Session settings sent along (SET foreign_key_checks = 0; …) do not say what a command does.
        var statements = all.SkipWhile(IsSet).ToArray();
        if (statements.Length == 0) return "SET (session settings)";
        var words = statements[0].Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        string Table(int index) => index < words.Length ? words[index].Trim('`', '(', ')', ',') : "?";
        int IndexOf(string word) => Array.FindIndex(words, w => w.Equals(word, StringComparison.OrdinalIgnoreCase));
        var verb = words.Length == 0 ? "" : words[0].ToUpperInvariant();
        var shape = verb switch
        {
            "INSERT" or "REPLACE" => $"{verb} INTO {Table(IndexOf("INTO") + 1)}" +
                                     (statements[0].Contains("ON DUPLICATE KEY UPDATE", StringComparison.OrdinalIgnoreCase) ? " … ON DUPLICATE KEY UPDATE" : ""),
            "LOAD" => $"LOAD DATA INTO {Table(IndexOf("TABLE") + 1)}",
            // UPDATE a JOIN b (the returns): named by both tables, the one updated is not always the first.
            "UPDATE" => Array.FindIndex(words, w => w.EndsWith("JOIN", StringComparison.OrdinalIgnoreCase)) is > 1 and var join
                ? $"UPDATE {Table(1)} JOIN {Table(join + 1)}"
                : $"UPDATE {Table(1)}",
            "DELETE" => $"DELETE FROM {Table(IndexOf("FROM") + 1)}",
            "SELECT" when IndexOf("FROM") > 0 => $"SELECT … FROM {Table(IndexOf("FROM") + 1)}",
            _ => string.Join(' ', words.Take(3)),
        };
        var more = statements.Length - 1;
        return more > 0 ? $"{shape} + {more} more" : shape;
    }

    private static bool IsSet(string statement) => statement.StartsWith("SET ", StringComparison.OrdinalIgnoreCase);

    private static bool IsTransactionControl(string statement) =>
        statement.Equals("START TRANSACTION", StringComparison.OrdinalIgnoreCase) || statement.Equals("BEGIN", StringComparison.OrdinalIgnoreCase) ||
        statement.Equals("COMMIT", StringComparison.OrdinalIgnoreCase) || statement.Equals("ROLLBACK", StringComparison.OrdinalIgnoreCase);

    /// <summary>The SQL statements that took the most time, per service (at most <paramref name="perService"/> each).</summary>
    public IReadOnlyList<SqlStatementTime> TopStatements(int perService = 5)
    {
        Collect();
        lock (_lock)
            return _statements.GroupBy(p => p.Key.Service, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => g.OrderByDescending(p => p.Value.Ms).Take(perService)
                    .Select(p => new SqlStatementTime(p.Key.Service, p.Key.Statement, p.Value.Spans, Math.Round(p.Value.Ms, 1))))
                .ToList();
    }

    /// <summary>"stage", "sql" or "messaging"; null for spans that are neither (HTTP, the coordinator's week spans).</summary>
    public static string? Kind(SpanRecord span) => span.Scope switch
    {
        "MySqlConnector" => "sql",
        "MassTransit" => "messaging",
        _ when StageSpans.Contains(span.Name) => "stage",
        _ => null,
    };

    public IReadOnlyList<TraceStage> Totals()
    {
        Collect();
        lock (_lock)
            return _totals.Select(p => new TraceStage(p.Key.Service, p.Key.Kind, p.Value.Spans, Math.Round(p.Value.Ms, 1)))
                .OrderBy(t => t.Service, StringComparer.Ordinal).ThenBy(t => t.Kind, StringComparer.Ordinal).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
