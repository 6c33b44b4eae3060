using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using MySqlConnector;

namespace DvdSim.AppHost.Benchmarks;

/// <summary>
/// The machine's raw ceiling for what a workload wrote: LOAD DATA LOCAL of as many synthetic
/// rental and payment rows into a scratch copy of the run's own tables. The scratch database
/// gets <c>CREATE TABLE … LIKE</c> copies of rental and payment (same columns, keys and indexes)
/// plus their foreign keys, re-pointed at copies of the parent tables (inventory, customer,
/// staff, with the run's rows), so every row pays for the same index and FK checks a real one
/// does. Rows go in chunks of <see cref="ChunkRows"/> with the server's settings untouched; only
/// the LOAD DATA statements are timed, not generating the text, and only once InnoDB has flushed
/// what the run left dirty. The scratch database is dropped afterwards.
/// </summary>
internal static class LoadCeiling
{
    public const string ScratchDatabase = "bench_ceiling";
    public const int ChunkRows = 50_000;
    private static readonly string[] Copied = ["rental", "payment"];

    public static async Task<CeilingResult> MeasureAsync(string serverConnectionString, string runDatabase, long rentals, long payments,
        long? maxRows, CancellationToken ct)
    {
        var capped = maxRows is { } max && rentals + payments > max;
        if (capped)
        {
            var scale = (double)maxRows!.Value / (rentals + payments);
            rentals = Math.Max(1, (long)(rentals * scale));
            payments = (long)(payments * scale);
        }
        rentals = Math.Max(1, rentals);

        var builder = new MySqlConnectionStringBuilder(serverConnectionString)
        {
            Database = "", AllowLoadLocalInfile = true, AllowUserVariables = true, DefaultCommandTimeout = 3600,
        };
        await using var db = new MySqlConnection(builder.ConnectionString);
        await db.OpenAsync(ct);
        try
        {
            await PrepareScratchAsync(db, runDatabase, ct);
            var settled = await SettleAsync(db, ct);
            await db.ChangeDatabaseAsync(ScratchDatabase, ct);
            var inventory = (await db.QueryAsync<int>(new CommandDefinition("SELECT inventory_id FROM inventory", cancellationToken: ct))).ToArray();
            var customers = (await db.QueryAsync<int>(new CommandDefinition("SELECT customer_id FROM customer", cancellationToken: ct))).ToArray();
            var staff = (await db.QueryAsync<int>(new CommandDefinition("SELECT staff_id FROM staff", cancellationToken: ct))).ToArray();
            if (inventory.Length == 0 || customers.Length == 0 || staff.Length == 0)
                throw new InvalidOperationException($"{runDatabase} has no inventory, customers or staff to point synthetic rows at");

            var random = new Random(20240601);
            var epoch = new DateTime(2001, 1, 1, 9, 0, 0);
            var (rentalSeconds, rentalGrowth) = await LoadAsync(db, "rental",
                ["rental_id", "rental_date", "inventory_id", "customer_id", "return_date", "staff_id", "last_update"], rentals, (text, id) =>
                {
                    var at = epoch.AddSeconds(id * 7); // distinct times: the (rental_date, inventory_id, customer_id) key stays unique
                    var back = at.AddDays(1 + id % 7);
                    text.Append(id).Append('\t').Append(Format(at)).Append('\t')
                        .Append(inventory[random.Next(inventory.Length)]).Append('\t').Append(customers[random.Next(customers.Length)]).Append('\t')
                        .Append(Format(back)).Append('\t').Append(staff[random.Next(staff.Length)]).Append('\t').Append(Format(back)).Append('\n');
                }, ct);
            var (paymentSeconds, paymentGrowth) = await LoadAsync(db, "payment",
                ["payment_id", "customer_id", "staff_id", "rental_id", "amount", "payment_date", "last_update"], payments, (text, id) =>
                {
                    var rentalId = 1 + (id - 1) % rentals;
                    var at = epoch.AddSeconds(rentalId * 7);
                    text.Append(id).Append('\t').Append(customers[random.Next(customers.Length)]).Append('\t')
                        .Append(staff[random.Next(staff.Length)]).Append('\t').Append(rentalId).Append('\t')
                        .Append((0.99m + id % 5).ToString(CultureInfo.InvariantCulture)).Append('\t')
                        .Append(Format(at)).Append('\t').Append(Format(at)).Append('\n');
                }, ct);
            var seconds = rentalSeconds + paymentSeconds;
            return new CeilingResult(rentals, payments, Math.Round(rentalSeconds, 3), Math.Round(paymentSeconds, 3),
                seconds > 0 ? Math.Round((rentals + payments) / seconds) : 0, capped, ChunkRows) { SettleSeconds = Math.Round(settled, 1), RentalGrowth = rentalGrowth, PaymentGrowth = paymentGrowth };
        }
        finally
        {
            await using var cleanup = new MySqlConnection(builder.ConnectionString);
            await cleanup.OpenAsync(CancellationToken.None);
            await cleanup.ExecuteAsync($"DROP DATABASE IF EXISTS `{ScratchDatabase}`");
        }
    }

    /// <summary>
    /// Creates the scratch database: parents with the run's rows, then rental and payment copies
    /// with the run's foreign keys re-pointed inside the scratch database.
    /// </summary>
    private static async Task PrepareScratchAsync(MySqlConnection db, string runDatabase, CancellationToken ct)
    {
        DvdSim.Model.DatabaseName.EnsureValid(runDatabase);
        await db.ExecuteAsync(new CommandDefinition($"DROP DATABASE IF EXISTS `{ScratchDatabase}`", cancellationToken: ct));
        await db.ExecuteAsync(new CommandDefinition($"CREATE DATABASE `{ScratchDatabase}` CHARACTER SET utf8mb4", cancellationToken: ct));
        var keys = (await db.QueryAsync<(string Table, string Name, string Column, string Parent, string ParentColumn)>(new CommandDefinition("""
            SELECT table_name, constraint_name, column_name, referenced_table_name, referenced_column_name
            FROM information_schema.KEY_COLUMN_USAGE
            WHERE table_schema = @runDatabase AND table_name IN ('rental', 'payment') AND referenced_table_name IS NOT NULL
            ORDER BY table_name DESC, constraint_name, ordinal_position
            """, new { runDatabase }, cancellationToken: ct))).ToList();
        var parents = keys.Select(k => k.Parent).Where(p => !Copied.Contains(p)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var table in parents.Concat(Copied))
        {
            DvdSim.Model.DatabaseName.EnsureValid(table);
            await db.ExecuteAsync(new CommandDefinition(
                $"CREATE TABLE `{ScratchDatabase}`.`{table}` LIKE `{runDatabase}`.`{table}`", cancellationToken: ct));
        }
        foreach (var table in parents)
            await db.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO `{ScratchDatabase}`.`{table}` SELECT * FROM `{runDatabase}`.`{table}`", cancellationToken: ct));
        foreach (var key in keys)
        {
            foreach (var name in new[] { key.Table, key.Name, key.Column, key.Parent, key.ParentColumn })
                DvdSim.Model.DatabaseName.EnsureValid(name);
            await db.ExecuteAsync(new CommandDefinition(
                $"ALTER TABLE `{ScratchDatabase}`.`{key.Table}` ADD CONSTRAINT `{key.Name}` FOREIGN KEY (`{key.Column}`) REFERENCES `{ScratchDatabase}`.`{key.Parent}` (`{key.ParentColumn}`)",
                cancellationToken: ct));
        }
    }

    /// <summary>
    /// Waits (at most <see cref="SettleLimit"/>) until at most 5 % of the buffer pool is dirty — the run
    /// just wrote, and the scratch copies too — so the load is not measured against background flushing.
    /// </summary>
    private static async Task<double> SettleAsync(MySqlConnection db, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < SettleLimit)
        {
            var status = (await db.QueryAsync<(string Name, string Value)>(new CommandDefinition(
                    "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_pages_dirty', 'Innodb_buffer_pool_pages_total')",
                    cancellationToken: ct)))
                .ToDictionary(r => r.Name, r => long.TryParse(r.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0);
            var dirty = status.GetValueOrDefault("Innodb_buffer_pool_pages_dirty");
            var total = Math.Max(1, status.GetValueOrDefault("Innodb_buffer_pool_pages_total"));
            if (dirty <= Math.Max(200, total / 20)) break;
            await Task.Delay(500, ct);
        }
        return clock.Elapsed.TotalSeconds;
    }

    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(30);

    /// <summary>Loads the rows in chunks; returns the seconds spent in LOAD DATA and the table's <see cref="Growth"/>.</summary>
    private static async Task<(double Seconds, double? Growth)> LoadAsync(MySqlConnection db, string table, string[] columns, long rows,
        Action<StringBuilder, long> appendRow, CancellationToken ct)
    {
        var chunks = new List<(long Rows, double Seconds)>();
        var text = new StringBuilder(ChunkRows * 96);
        for (long first = 1; first <= rows; first += ChunkRows)
        {
            text.Clear();
            var last = Math.Min(rows, first + ChunkRows - 1);
            for (var id = first; id <= last; id++) appendRow(text, id);
            var loader = new MySqlBulkLoader(db)
            {
                TableName = $"`{table}`",
                Local = true,
                FieldTerminator = "\t",
                LineTerminator = "\n",
                CharacterSet = "utf8mb4",
                SourceStream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())),
                Timeout = 3600,
            };
            foreach (var column in columns) loader.Columns.Add($"`{column}`");
            var clock = Stopwatch.StartNew();
            var loaded = await loader.LoadAsync(ct);
            chunks.Add((loaded, clock.Elapsed.TotalSeconds));
            if (loaded != last - first + 1)
                throw new InvalidOperationException($"ceiling: {table} took {loaded} of {last - first + 1} rows");
        }
        return (chunks.Sum(c => c.Seconds), Growth(chunks));
    }

    /// <summary>
    /// Seconds per row of the last tenth of the chunks over the first tenth: how much more a row costs
    /// once the table holds the rows before it. Null with fewer than ten chunks.
    /// </summary>
    internal static double? Growth(IReadOnlyList<(long Rows, double Seconds)> chunks)
    {
        if (chunks.Count < 10) return null;
        var tenth = chunks.Count / 10;
        static double PerRow(IEnumerable<(long Rows, double Seconds)> part)
        {
            var list = part.ToList();
            var rows = list.Sum(c => c.Rows);
            return rows > 0 ? list.Sum(c => c.Seconds) / rows : 0;
        }
        var first = PerRow(chunks.Take(tenth));
        return first > 0 ? Math.Round(PerRow(chunks.Skip(chunks.Count - tenth)) / first, 3) : null;
    }

    private static string Format(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
