using System.Globalization;
using System.Text;
using MySqlConnector;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Writes many rows in one round trip with LOAD DATA LOCAL INFILE (the fastest bulk path
/// MariaDB has). Rows whose primary key already exists are skipped, which makes a
/// redelivered batch a no-op.
/// </summary>
public static class TableWriter
{
    public static async Task<int> LoadAsync(MySqlConnection connection, MySqlTransaction? transaction,
        string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder(64 * 1024);
        var count = 0;
        foreach (var row in rows)
        {
            if (row.Length != columns.Count)
                throw new ArgumentException($"{table}: row has {row.Length} values for {columns.Count} columns");
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0) text.Append('\t');
                AppendValue(text, row[i]);
            }
            text.Append('\n');
            count++;
        }
        if (count == 0) return 0;

        var loader = new MySqlBulkLoader(connection)
        {
            TableName = SqlBatch.Identifier(table),
            Local = true,
            FieldTerminator = "\t",
            LineTerminator = "\n",
            EscapeCharacter = '\\',
            CharacterSet = "utf8mb4",
            ConflictOption = MySqlBulkLoaderConflictOption.Ignore,
            SourceStream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())),
            Timeout = 600,
        };
        foreach (var column in columns) loader.Columns.Add(SqlBatch.Identifier(column));
        var inserted = await loader.LoadAsync(cancellationToken);
        if (inserted < count) await CheckSkippedRowsAsync(connection, transaction, table, count - inserted, cancellationToken);
        return count;
    }

    /// <summary>
    /// IGNORE skips duplicates (a redelivered batch) but would also skip rows that break a
    /// foreign key or a column type: those must fail loudly, or data goes missing silently.
    /// </summary>
    private static async Task CheckSkippedRowsAsync(MySqlConnection connection, MySqlTransaction? transaction, string table,
        int skipped, CancellationToken ct)
    {
        await using var command = new MySqlCommand("SHOW WARNINGS LIMIT 20", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var problems = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            var code = Convert.ToInt32(reader.GetValue(1));
            if (code != 1062) problems.Add($"{code}: {reader.GetString(2)}");
        }
        if (problems.Count > 0)
            throw new InvalidOperationException($"{table}: {skipped} row(s) were not loaded: {string.Join("; ", problems)}");
    }

    private static void AppendValue(StringBuilder text, object? value)
    {
        if (value is null) text.Append("\\N");
        else if (!SqlText.TryAppendScalar(text, value, quoteDates: false))
            AppendEscaped(text, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
    }

    private static void AppendEscaped(StringBuilder text, string s)
    {
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '\t': text.Append("\\t"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\0': text.Append("\\0"); break;
                default: text.Append(c); break;
            }
        }
    }
}
