using Dapper;
using DvdSim.Contracts;
using DvdSim.Model;
using MySqlConnector;

namespace DvdSim.Coordinator.Storage;

public sealed record WeekRow(int Week, DateTime WeekStart, string State, int? Rentals, int? Returns, int? Lost, int? Payments,
    int? NewCustomers, int? ActiveCustomers, int? CheckedOut, double? InventoryMs, double? TransactionsMs, double? PaymentsMs,
    double? WaitMs, double? WallMs, string? TraceId);

/// <summary>What a week's billing added to the books (dvdsim_week's revenue, late_fees and receivables_change).</summary>
public sealed record WeekBooks(decimal Revenue, int LateFees, decimal ReceivablesChange);

/// <summary>The coordinator's tables in a run's database: run state and per-week progress and timings.</summary>
public static class RunStore
{
    public static Task EnsureStateTableAsync(MySqlConnection db, CancellationToken ct) => db.ExecuteAsync(new CommandDefinition("""
        CREATE TABLE IF NOT EXISTS dvdsim_run_state (
          run_key TINYINT UNSIGNED NOT NULL PRIMARY KEY DEFAULT 1,
          state VARCHAR(16) NOT NULL,
          error TEXT NULL,
          updated_at DATETIME NOT NULL
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
        """, cancellationToken: ct));

    public static async Task SetStateAsync(MySqlConnection db, string state, string? error, CancellationToken ct)
    {
        await EnsureStateTableAsync(db, ct);
        await db.ExecuteAsync(new CommandDefinition("""
            INSERT INTO dvdsim_run_state (run_key, state, error, updated_at) VALUES (1, @state, @error, UTC_TIMESTAMP())
            ON DUPLICATE KEY UPDATE state = VALUES(state), error = VALUES(error), updated_at = VALUES(updated_at)
            """, new { state, error }, cancellationToken: ct));
    }

    /// <summary>Databases on the server that hold a DvdSim run, with their stored state.</summary>
    public static async Task<List<(string Database, string? State)>> FindRunsAsync(MySqlConnection server, CancellationToken ct)
    {
        var names = await server.QueryAsync<string>(new CommandDefinition(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = 'dvdsim_run' ORDER BY table_schema", cancellationToken: ct));
        var runs = new List<(string, string?)>();
        foreach (var name in names.Where(DatabaseName.IsValid))
            runs.Add((name, (await StoredStateAsync(server, name, ct)).State));
        return runs;
    }

    /// <summary>The state a run stored and the reason it failed, if it did; nulls for a run whose database predates dvdsim_run_state.</summary>
    public static async Task<(string? State, string? Error)> StoredStateAsync(MySqlConnection connection, string database, CancellationToken ct)
    {
        DatabaseName.EnsureValid(database);
        var hasState = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = @database AND table_name = 'dvdsim_run_state'",
            new { database }, cancellationToken: ct));
        return hasState > 0
            ? await connection.QuerySingleOrDefaultAsync<(string?, string?)>(new CommandDefinition(
                $"SELECT state, error FROM `{database}`.dvdsim_run_state WHERE run_key = 1", cancellationToken: ct))
            : (null, null);
    }

    /// <summary>A completed week: its counts, stage timings, trace and when it started and ended (the row is written only now).</summary>
    public static Task WeekCompletedAsync(MySqlConnection db, WeekRow w, WeekBooks books, DateTime startedAt, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition("""
            INSERT INTO dvdsim_week (week, week_start, state, rentals, returns, lost, payments, new_customers, active_customers,
              checked_out, inventory_ms, transactions_ms, payments_ms, wait_ms, wall_ms, trace_id, revenue, late_fees,
              receivables_change, started_at, completed_at)
            VALUES (@Week, @WeekStart, 'completed', @Rentals, @Returns, @Lost, @Payments, @NewCustomers, @ActiveCustomers,
              @CheckedOut, @InventoryMs, @TransactionsMs, @PaymentsMs, @WaitMs, @WallMs, @TraceId, @Revenue, @LateFees,
              @ReceivablesChange, @StartedAt, UTC_TIMESTAMP(3))
            ON DUPLICATE KEY UPDATE state = 'completed', rentals = @Rentals, returns = @Returns, lost = @Lost, payments = @Payments,
              new_customers = @NewCustomers, active_customers = @ActiveCustomers, checked_out = @CheckedOut,
              inventory_ms = @InventoryMs, transactions_ms = @TransactionsMs, payments_ms = @PaymentsMs, wait_ms = @WaitMs,
              wall_ms = @WallMs, trace_id = @TraceId, revenue = @Revenue, late_fees = @LateFees,
              receivables_change = @ReceivablesChange, started_at = @StartedAt, completed_at = UTC_TIMESTAMP(3)
            """, Parameters(w, books, startedAt), cancellationToken: ct));

    private static DynamicParameters Parameters(WeekRow w, WeekBooks books, DateTime startedAt)
    {
        var parameters = new DynamicParameters(w);
        parameters.AddDynamicParams(books);
        parameters.Add("StartedAt", startedAt);
        return parameters;
    }

    /// <summary>
    /// Adds the week's books to a dvdsim_week made before it kept them (their weeks stay NULL, and
    /// statistics then sum the payment and late_fee tables instead). information_schema, not
    /// ADD COLUMN IF NOT EXISTS, which MySQL lacks.
    /// </summary>
    public static async Task EnsureWeekBooksAsync(MySqlConnection db, CancellationToken ct)
    {
        if (await HasWeekBooksAsync(db, ct)) return;
        await db.ExecuteAsync(new CommandDefinition("""
            ALTER TABLE dvdsim_week ADD COLUMN revenue DECIMAL(14,2) NULL AFTER trace_id, ADD COLUMN late_fees INT NULL AFTER revenue,
              ADD COLUMN receivables_change DECIMAL(14,2) NULL AFTER late_fees
            """, cancellationToken: ct));
    }

    private static async Task<bool> HasWeekBooksAsync(MySqlConnection db, CancellationToken ct) =>
        await db.ExecuteScalarAsync<int>(new CommandDefinition("""
            SELECT COUNT(*) FROM information_schema.columns
            WHERE table_schema = DATABASE() AND table_name = 'dvdsim_week' AND column_name = 'receivables_change'
            """, cancellationToken: ct)) > 0;

    public static async Task<int> CompletedWeeksAsync(MySqlConnection db, CancellationToken ct)
    {
        // The contiguous prefix of completed weeks: weeks may complete out of order when pipelined.
        var completed = (await db.QueryAsync<int>(new CommandDefinition(
            "SELECT week FROM dvdsim_week WHERE state = 'completed' ORDER BY week", cancellationToken: ct))).ToList();
        var n = 0;
        foreach (var week in completed) { if (week != n + 1) break; n = week; }
        return n;
    }

    /// <summary>Rentals of weeks 1..<paramref name="throughWeek"/> as their completions reported them.</summary>
    public static Task<long> RentalsThroughAsync(MySqlConnection db, int throughWeek, CancellationToken ct) =>
        db.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(SUM(rentals), 0) FROM dvdsim_week WHERE state = 'completed' AND week <= @throughWeek",
            new { throughWeek }, cancellationToken: ct));

    public static async Task<List<WeekRow>> WeeksAsync(MySqlConnection db, CancellationToken ct) =>
        (await db.QueryAsync<WeekRow>(new CommandDefinition("""
            SELECT week, week_start AS WeekStart, state, rentals, returns, lost, payments, new_customers AS NewCustomers,
                   active_customers AS ActiveCustomers, checked_out AS CheckedOut, inventory_ms AS InventoryMs,
                   transactions_ms AS TransactionsMs, payments_ms AS PaymentsMs, wait_ms AS WaitMs, wall_ms AS WallMs, trace_id AS TraceId
            FROM dvdsim_week ORDER BY week
            """, cancellationToken: ct))).ToList();

    /// <summary>
    /// A run as of its last completed week. Rentals, payments and the books are summed from
    /// dvdsim_week (one row a week) and the date range read off the rental_date index: scans of
    /// rental, payment and late_fee took over a minute at the scale workload's 28 million rentals.
    /// The tables that stay small (customers, stock, films) are counted.
    /// </summary>
    public static async Task<RunStatistics> StatisticsAsync(MySqlConnection db, int weeksCompleted, CancellationToken ct)
    {
        var booksKept = await HasWeekBooksAsync(db, ct);
        var weeks = await db.QuerySingleAsync<WeekSums>(new CommandDefinition($"""
            SELECT COALESCE(SUM(rentals), 0) AS Rentals, COALESCE(SUM(payments), 0) AS Payments,
                   {(booksKept ? "SUM(revenue) AS Revenue, SUM(late_fees) AS LateFees, SUM(receivables_change) AS Receivables, SUM(revenue IS NULL) AS Unbooked"
                               : "NULL AS Revenue, NULL AS LateFees, NULL AS Receivables, 1 AS Unbooked")},
                   MAX(CASE WHEN week = @weeksCompleted THEN checked_out END) AS CheckedOut,
                   MAX(CASE WHEN week = @weeksCompleted THEN DATE_ADD(week_start, INTERVAL 7 DAY) END) AS EndsBefore
            FROM dvdsim_week WHERE state = 'completed' AND week <= @weeksCompleted
            """, new { weeksCompleted }, cancellationToken: ct));
        var dates = await db.QuerySingleAsync<(DateTime? First, DateTime? Last)>(new CommandDefinition(
            "SELECT MIN(rental_date), MAX(rental_date) FROM rental WHERE rental_date < @end",
            new { end = weeks.EndsBefore ?? DateTime.MinValue }, cancellationToken: ct));
        var (revenue, lateFees, receivables) = (weeks.Unbooked ?? 0) == 0
            ? (weeks.Revenue ?? 0, weeks.LateFees ?? 0, weeks.Receivables ?? 0)
            : await SumBooksAsync(db, ct);

        var customers = await db.QuerySingleAsync<(long Total, long Active)>(new CommandDefinition(
            "SELECT COUNT(*), COALESCE(SUM(active), 0) FROM customer", cancellationToken: ct));
        var inventory = await db.QuerySingleAsync<(long Total, long Added)>(new CommandDefinition(
            "SELECT COUNT(*), COALESCE(SUM(week > 0), 0) FROM inventory_purchase", cancellationToken: ct));
        var lost = await db.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM rental_loss", cancellationToken: ct));
        var retired = await db.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM inventory_status_history WHERE status = 'damaged'", cancellationToken: ct));
        var films = await db.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM film", cancellationToken: ct));
        return new RunStatistics(weeks.Rentals, (int)customers.Active, (int)customers.Total, (int)(inventory.Total - lost - retired),
            (int)inventory.Added, (int)lost, dates.First, dates.Last, weeks.CheckedOut ?? 0,
            weeksCompleted == 0 ? 0 : Math.Round(weeks.Rentals / (double)weeksCompleted, 1), weeks.Payments, revenue,
            (int)films, weeksCompleted, lateFees, receivables);
    }

    private sealed class WeekSums
    {
        public long Rentals { get; init; }
        public long Payments { get; init; }
        public decimal? Revenue { get; init; }
        public long? LateFees { get; init; }
        public decimal? Receivables { get; init; }
        public long? Unbooked { get; init; }
        public int? CheckedOut { get; init; }
        public DateTime? EndsBefore { get; init; }
    }

    /// <summary>Revenue, late fees and receivables from the tables, for weeks completed before dvdsim_week kept them.</summary>
    private static async Task<(decimal Revenue, long LateFees, decimal Receivables)> SumBooksAsync(MySqlConnection db, CancellationToken ct)
    {
        var revenue = await db.ExecuteScalarAsync<decimal?>(new CommandDefinition("SELECT SUM(amount) FROM payment", cancellationToken: ct));
        var fees = await db.QuerySingleAsync<(long Count, decimal? Outstanding)>(new CommandDefinition(
            "SELECT COUNT(*), SUM(amount - paid_amount - written_off_amount) FROM late_fee", cancellationToken: ct));
        return (revenue ?? 0, fees.Count, fees.Outstanding ?? 0);
    }
}
