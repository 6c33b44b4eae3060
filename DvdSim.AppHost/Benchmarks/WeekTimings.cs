using Dapper;
using MySqlConnector;

namespace DvdSim.AppHost.Benchmarks;

/// <summary>
/// One completed week as the coordinator stored it (dvdsim_week), with <see cref="Seconds"/>: the
/// time from the previous week's completion to this one's. Weeks are pipelined, so a week's own
/// wall time overlaps its neighbours'; the gap between completions is what a week costs the run,
/// and the gaps add up to the run's simulation time.
/// </summary>
internal sealed record WeekTiming(int Week, int Rentals, int Payments, double InventoryMs, double TransactionsMs,
    double PaymentsMs, double WaitMs, double WallMs, DateTime? StartedAt, DateTime? CompletedAt)
{
    public double Seconds { get; init; }
}

internal static class WeekTimings
{
    public static async Task<List<WeekTiming>> ReadAsync(string serverConnectionString, string database, CancellationToken ct)
    {
        var builder = new MySqlConnectionStringBuilder(serverConnectionString) { Database = database };
        await using var db = new MySqlConnection(builder.ConnectionString);
        await db.OpenAsync(ct);
        var rows = await db.QueryAsync<Row>(new CommandDefinition("""
            SELECT week AS Week, COALESCE(rentals, 0) AS Rentals, COALESCE(payments, 0) AS Payments,
                   COALESCE(inventory_ms, 0) AS InventoryMs, COALESCE(transactions_ms, 0) AS TransactionsMs,
                   COALESCE(payments_ms, 0) AS PaymentsMs, COALESCE(wait_ms, 0) AS WaitMs, COALESCE(wall_ms, 0) AS WallMs,
                   started_at AS StartedAt, completed_at AS CompletedAt
            FROM dvdsim_week WHERE state = 'completed' ORDER BY week
            """, cancellationToken: ct));
        return WithIntervals(rows.Select(r => new WeekTiming(r.Week, (int)r.Rentals, (int)r.Payments, r.InventoryMs, r.TransactionsMs,
            r.PaymentsMs, r.WaitMs, r.WallMs, r.StartedAt, r.CompletedAt)).ToList());
    }

    /// <summary>Sets each week's <see cref="WeekTiming.Seconds"/>: completion minus the previous completion (the first week: minus its start).</summary>
    public static List<WeekTiming> WithIntervals(IReadOnlyList<WeekTiming> weeks)
    {
        var result = new List<WeekTiming>(weeks.Count);
        DateTime? previous = null;
        foreach (var week in weeks.OrderBy(w => w.Week))
        {
            var from = previous ?? week.StartedAt;
            var seconds = week.CompletedAt is { } done && from is { } start ? Math.Max(0, (done - start).TotalSeconds) : week.WallMs / 1000;
            result.Add(week with { Seconds = seconds });
            if (week.CompletedAt is { } completed && (previous is null || completed > previous)) previous = completed;
        }
        return result;
    }

    /// <summary>Seconds from the start of week 1 to the completion of week <paramref name="lastWeek"/>.</summary>
    public static double? SecondsThrough(IReadOnlyList<WeekTiming> weeks, int lastWeek)
    {
        var through = weeks.Where(w => w.Week <= lastWeek).ToList();
        if (through.Count < lastWeek) return null;
        return through.Sum(w => w.Seconds);
    }

    /// <summary>The weeks cut into ten consecutive groups of (nearly) equal size; fewer when there are fewer than ten weeks.</summary>
    public static List<DecileRow> Deciles(IReadOnlyList<WeekTiming> weeks)
    {
        var rows = new List<DecileRow>();
        var n = weeks.Count;
        if (n == 0) return rows;
        var groups = Math.Min(10, n);
        for (var g = 0; g < groups; g++)
        {
            var from = g * n / groups;
            var to = (g + 1) * n / groups;
            rows.Add(Summarize(weeks.Skip(from).Take(to - from).ToList()));
        }
        return rows;
    }

    public static DecileRow Summarize(IReadOnlyList<WeekTiming> group)
    {
        var count = Math.Max(1, group.Count);
        var rentals = group.Sum(w => (double)w.Rentals);
        var seconds = group.Sum(w => w.Seconds);
        return new DecileRow(group.Count == 0 ? 0 : group[0].Week, group.Count == 0 ? 0 : group[^1].Week,
            rentals / count, seconds / count, rentals > 0 ? seconds * 1_000_000 / rentals : 0,
            group.Sum(w => w.InventoryMs) / count, group.Sum(w => w.TransactionsMs) / count,
            group.Sum(w => w.PaymentsMs) / count, group.Sum(w => w.WaitMs) / count);
    }

    private sealed class Row
    {
        public int Week { get; set; }
        public long Rentals { get; set; }
        public long Payments { get; set; }
        public double InventoryMs { get; set; }
        public double TransactionsMs { get; set; }
        public double PaymentsMs { get; set; }
        public double WaitMs { get; set; }
        public double WallMs { get; set; }
        public DateTime? StartedAt { get; set; }
        public DateTime? CompletedAt { get; set; }
    }

    public static StageTotals Stages(IReadOnlyList<WeekTiming> weeks) => new(
        weeks.Sum(w => w.InventoryMs), weeks.Sum(w => w.TransactionsMs), weeks.Sum(w => w.PaymentsMs), weeks.Sum(w => w.WaitMs));
}
