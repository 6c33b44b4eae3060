using Dapper;
using DvdSim.Contracts;
using DvdSim.Model;
using MySqlConnector;

namespace DvdSim.Coordinator.Storage;

public sealed record WeekRow(int Week, DateTime WeekStart, string State, int? Rentals, int? Returns, int? Lost, int? Payments,
    int? NewCustomers, int? ActiveCustomers, int? CheckedOut, double? InventoryMs, double? TransactionsMs, double? PaymentsMs,
    double? WaitMs, double? WallMs, string? TraceId);

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
    public static Task WeekCompletedAsync(MySqlConnection db, WeekRow w, DateTime startedAt, CancellationToken ct) =>
        db.ExecuteAsync(new CommandDefinition("""
            INSERT INTO dvdsim_week (week, week_start, state, rentals, returns, lost, payments, new_customers, active_customers,
              checked_out, inventory_ms, transactions_ms, payments_ms, wait_ms, wall_ms, trace_id, started_at, completed_at)
            VALUES (@Week, @WeekStart, 'completed', @Rentals, @Returns, @Lost, @Payments, @NewCustomers, @ActiveCustomers,
              @CheckedOut, @InventoryMs, @TransactionsMs, @PaymentsMs, @WaitMs, @WallMs, @TraceId, @StartedAt, UTC_TIMESTAMP(3))
            ON DUPLICATE KEY UPDATE state = 'completed', rentals = @Rentals, returns = @Returns, lost = @Lost, payments = @Payments,
              new_customers = @NewCustomers, active_customers = @ActiveCustomers, checked_out = @CheckedOut,
              inventory_ms = @InventoryMs, transactions_ms = @TransactionsMs, payments_ms = @PaymentsMs, wait_ms = @WaitMs,
              wall_ms = @WallMs, trace_id = @TraceId, started_at = @StartedAt, completed_at = UTC_TIMESTAMP(3)
            """, WithStartedAt(w, startedAt), cancellationToken: ct));

    private static DynamicParameters WithStartedAt(WeekRow w, DateTime startedAt)
    {
        var parameters = new DynamicParameters(w);
        parameters.Add("StartedAt", startedAt);
        return parameters;
    }

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

    public static async Task<RunStatistics> StatisticsAsync(MySqlConnection db, int weeksCompleted, CancellationToken ct)
    {
        var rentals = await db.QuerySingleAsync<(long Total, DateTime? First, DateTime? Last, long Open)>(new CommandDefinition("""
            SELECT COUNT(*), MIN(rental_date), MAX(rental_date),
                   (SELECT COUNT(*) FROM rental r LEFT JOIN rental_loss l ON l.rental_id = r.rental_id WHERE r.return_date IS NULL AND l.rental_id IS NULL)
            FROM rental
            """, cancellationToken: ct));
        var customers = await db.QuerySingleAsync<(long Total, long Active)>(new CommandDefinition(
            "SELECT COUNT(*), COALESCE(SUM(active), 0) FROM customer", cancellationToken: ct));
        var inventory = await db.QuerySingleAsync<(long Total, long Added)>(new CommandDefinition(
            "SELECT COUNT(*), COALESCE(SUM(week > 0), 0) FROM inventory_purchase", cancellationToken: ct));
        var lost = await db.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM rental_loss", cancellationToken: ct));
        var retired = await db.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM inventory_status_history WHERE status = 'damaged'", cancellationToken: ct));
        var payments = await db.QuerySingleAsync<(long Count, decimal? Sum)>(new CommandDefinition(
            "SELECT COUNT(*), SUM(amount) FROM payment", cancellationToken: ct));
        var films = await db.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM film", cancellationToken: ct));
        var fees = await db.QuerySingleAsync<(long Count, decimal? Outstanding)>(new CommandDefinition(
            "SELECT COUNT(*), SUM(amount - paid_amount - written_off_amount) FROM late_fee", cancellationToken: ct));
        return new RunStatistics(rentals.Total, (int)customers.Active, (int)customers.Total, (int)(inventory.Total - lost - retired),
            (int)inventory.Added, (int)lost, rentals.First, rentals.Last, (int)rentals.Open,
            weeksCompleted == 0 ? 0 : Math.Round(rentals.Total / (double)weeksCompleted, 1), payments.Count, payments.Sum ?? 0,
            (int)films, weeksCompleted, fees.Count, fees.Outstanding ?? 0);
    }
}
