using System.Security.Cryptography;
using System.Text;
using Dapper;
using DvdSim.Model;
using MySqlConnector;

namespace DvdSim.Storage;

/// <summary>
/// CHECKSUM TABLE over every data table of a run, the determinism yardstick: same scenario and
/// seed ⇒ same checksums. Run metadata with wall-clock timings (dvdsim_run, dvdsim_week,
/// dvdsim_run_state) is left out: it records when the run happened, not what it made.
/// </summary>
public static class TableChecksums
{
    public static readonly string[] Metadata = ["dvdsim_run", "dvdsim_week", "dvdsim_run_state"];

    public static async Task<IReadOnlyList<(string Table, long Checksum)>> ComputeAsync(MySqlConnection server, string database,
        CancellationToken ct = default)
    {
        DatabaseName.EnsureValid(database);
        var tables = (await server.QueryAsync<string>(new CommandDefinition("""
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = @database AND table_type = 'BASE TABLE' ORDER BY table_name
            """, new { database }, cancellationToken: ct))).Where(t => !Metadata.Contains(t)).ToList();
        if (tables.Count == 0) throw new ArgumentException($"database '{database}' does not exist or holds no tables");
        var result = new List<(string, long)>();
        foreach (var table in tables)
        {
            DatabaseName.EnsureValid(table);
            var row = await server.QuerySingleAsync(new CommandDefinition($"CHECKSUM TABLE `{database}`.`{table}` EXTENDED", cancellationToken: ct));
            var checksum = ((IDictionary<string, object?>)row)["Checksum"];
            result.Add((table, checksum is null ? -1 : Convert.ToInt64(checksum)));
        }
        return result;
    }

    /// <summary>One hash over all table checksums, for a one-line comparison.</summary>
    public static string Combined(IEnumerable<(string Table, long Checksum)> checksums) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\n', checksums.Select(c => $"{c.Table}={c.Checksum}")))))[..16];
}
