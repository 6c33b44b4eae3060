using System.Globalization;
using System.Text;
using MySqlConnector;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Many statements sent as one command — one round trip for a whole stage of a week. Rows are
/// written as multi-row INSERTs with literal values formatted and escaped here; a table with
/// more rows than <see cref="BulkThreshold"/> goes through LOAD DATA (<see cref="TableWriter"/>)
/// instead, which is faster for big loads and slower for small ones.
/// </summary>
public sealed class SqlBatch
{
    public const int BulkThreshold = 200;
    private const int RowsPerStatement = 1000;

    // Statements run in the order they were added (a film before the copies that reference it):
    // SQL text accumulates until a bulk load, which closes the current segment.
    private readonly List<(StringBuilder? Sql, (string Table, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows)? Bulk)> _segments = [];
    private StringBuilder _sql = new();
    private bool _withoutForeignKeyChecks;

    public bool IsEmpty => _sql.Length == 0 && _segments.Count == 0;

    /// <summary>Rows whose key exists are skipped, so a redelivered stage writes nothing twice; any other error fails.</summary>
    public SqlBatch Insert(string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows, string? onDuplicate = null)
    {
        var list = rows as IReadOnlyList<object?[]> ?? rows.ToList();
        if (list.Count == 0) return this;
        if (list.Count > BulkThreshold && onDuplicate is null)
        {
            CloseSegment();
            _segments.Add((null, (table, columns, list)));
            return this;
        }
        foreach (var chunk in list.Chunk(RowsPerStatement))
        {
            _sql.Append("INSERT INTO ").Append(Identifier(table)).Append(" (");
            _sql.AppendJoin(',', columns.Select(Identifier)).Append(") VALUES ");
            for (var r = 0; r < chunk.Length; r++)
            {
                if (r > 0) _sql.Append(',');
                var row = chunk[r];
                if (row.Length != columns.Count) throw new ArgumentException($"{table}: row has {row.Length} values for {columns.Count} columns");
                _sql.Append('(');
                for (var i = 0; i < row.Length; i++)
                {
                    if (i > 0) _sql.Append(',');
                    AppendLiteral(_sql, row[i]);
                }
                _sql.Append(')');
            }
            // A row already there is left as it is (a no-op update, not IGNORE: IGNORE would also
            // swallow a foreign-key error and silently drop the row).
            _sql.Append(" ON DUPLICATE KEY UPDATE ").Append(onDuplicate ?? $"{Identifier(columns[0])} = {Identifier(columns[0])}");
            _sql.Append(";\n");
        }
        return this;
    }

    /// <summary>
    /// Runs the batch with the session's foreign-key checks off and turns them on again afterwards,
    /// also when the batch fails: pooled sessions are reused as they are (see RunDatabases), and the
    /// next batch on this one must not inherit the setting. For writers whose rows reference only
    /// rows committed before (the Payment service).
    /// </summary>
    public SqlBatch WithoutForeignKeyChecks()
    {
        _withoutForeignKeyChecks = true;
        return this;
    }

    /// <summary>A statement of the caller's (no user input in it; values go through <see cref="Literal"/>).</summary>
    public SqlBatch Statement(string sql)
    {
        _sql.Append(sql).Append(";\n");
        return this;
    }

    /// <summary>
    /// Runs the whole batch as one READ COMMITTED transaction (see <see cref="RunDatabases.BeginWriteAsync"/>)
    /// and commits it. BEGIN goes with the first statements and COMMIT with the last, so a batch without
    /// a bulk load is one round trip — a week's write is on the pipeline's critical path — and each bulk
    /// load adds two. The server stops a multi-statement command at its first error, so COMMIT runs only
    /// when every statement succeeded; the transaction is then rolled back here, because pooled sessions
    /// are reused as they are.
    /// </summary>
    public async Task CommitAsync(MySqlConnection connection, CancellationToken ct)
    {
        CloseSegment();
        var steps = _segments.ToList();
        _segments.Clear();
        var begin = (_withoutForeignKeyChecks ? "SET foreign_key_checks = 0;\n" : "")
                    + "SET TRANSACTION ISOLATION LEVEL READ COMMITTED;\nSTART TRANSACTION;\n";
        var end = "COMMIT" + Restore;
        if (steps.Count > 0 && steps[0].Sql is { } first) first.Insert(0, begin);
        else steps.Insert(0, (new StringBuilder(begin), null));
        if (steps[^1].Sql is { } last) last.Append(end);
        else steps.Add((new StringBuilder(end), null));
        try
        {
            foreach (var (sql, bulk) in steps)
            {
                if (bulk is var (table, columns, rows))
                {
                    await TableWriter.LoadAsync(connection, null, table, columns, rows, ct);
                    continue;
                }
                await using var command = new MySqlCommand(sql!.ToString(), connection) { CommandTimeout = 600 };
                await command.ExecuteNonQueryAsync(ct);
            }
        }
        catch
        {
            await RollBackAsync(connection);
            throw;
        }
    }

    /// <summary>What puts the session back as the batch found it, after COMMIT or ROLLBACK.</summary>
    private string Restore => _withoutForeignKeyChecks ? ";\nSET foreign_key_checks = 1" : "";

    private async Task RollBackAsync(MySqlConnection connection)
    {
        try
        {
            await using var rollback = new MySqlCommand("ROLLBACK" + Restore, connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (MySqlException)
        {
            // The session is broken: the server rolls the transaction back when it closes.
        }
        catch (InvalidOperationException)
        {
            // The connection is closed: same.
        }
    }

    private void CloseSegment()
    {
        if (_sql.Length == 0) return;
        _segments.Add((_sql, null));
        _sql = new StringBuilder();
    }

    public static string Literal(object? value)
    {
        var text = new StringBuilder();
        AppendLiteral(text, value);
        return text.ToString();
    }

    private static void AppendLiteral(StringBuilder sql, object? value)
    {
        if (value is null) sql.Append("NULL");
        else if (!SqlText.TryAppendScalar(sql, value, quoteDates: true))
            AppendString(sql, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
    }

    // Quotes doubled and backslashes escaped: correct under the default sql_mode
    // (DvdSim's servers do not use NO_BACKSLASH_ESCAPES).
    private static void AppendString(StringBuilder sql, string s)
    {
        sql.Append('\'');
        foreach (var c in s)
        {
            switch (c)
            {
                case '\'': sql.Append("''"); break;
                case '\\': sql.Append("\\\\"); break;
                case '\0': sql.Append("\\0"); break;
                case '\n': sql.Append("\\n"); break;
                case '\r': sql.Append("\\r"); break;
                case '\x1a': sql.Append("\\Z"); break;
                default: sql.Append(c); break;
            }
        }
        sql.Append('\'');
    }

    /// <summary>A validated, quoted identifier: the only way a table or column name reaches SQL here.</summary>
    public static string Identifier(string name) => "`" + DvdSim.Model.DatabaseName.EnsureValid(name) + "`";
}
