using System.Reflection;
using Dapper;
using MySqlConnector;

namespace DvdSim.SchemaService.Storage;

/// <summary>
/// The run database's DDL, shipped as embedded .sql files. Each file holds statements separated
/// by lines that read exactly <c>-- statement</c>; every statement goes to the server as one
/// command, so routine bodies need no DELIMITER.
/// </summary>
public static class SchemaScripts
{
    public const string StatementMarker = "-- statement";

    /// <summary>
    /// In execution order. The extensions come first so that dvdsim_run exists from the first
    /// statement on: a database with that table but no run row is a preparation that stopped half-way.
    /// </summary>
    public static readonly IReadOnlyList<string> Files = ["dvdsim-extensions.sql", "sakila-schema.sql", "sakila-routines.sql", "dvdsim-lifecycle.sql"];

    public static string Text(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("sql:" + file)
            ?? throw new InvalidOperationException($"embedded SQL file '{file}' is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static IReadOnlyList<string> Statements(string file) => Split(Text(file));

    /// <summary>Splits on marker lines, dropping pieces that hold nothing but comments (file headers).</summary>
    public static IReadOnlyList<string> Split(string script)
    {
        var statements = new List<string>();
        var current = new List<string>();
        foreach (var line in script.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.Trim() == StatementMarker)
            {
                Flush();
                continue;
            }
            current.Add(line);
        }
        Flush();
        return statements;

        void Flush()
        {
            if (current.Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("--", StringComparison.Ordinal)))
                statements.Add(string.Join("\n", current).Trim());
            current.Clear();
        }
    }

    /// <summary>Creates every table, view, routine and trigger. DDL commits implicitly in MySQL.</summary>
    public static async Task CreateAllAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        // store and staff refer to each other, and the extensions precede the tables they refer to.
        await connection.ExecuteAsync(new CommandDefinition("SET SESSION FOREIGN_KEY_CHECKS = 0", cancellationToken: cancellationToken));
        foreach (var file in Files)
        {
            foreach (var statement in Statements(file))
            {
                try
                {
                    await connection.ExecuteAsync(new CommandDefinition(statement, cancellationToken: cancellationToken));
                }
                catch (MySqlException e)
                {
                    var head = statement.Split('\n', 2)[0];
                    throw new InvalidOperationException($"{file}: '{head}' failed: {e.Message}", e);
                }
            }
        }
        await connection.ExecuteAsync(new CommandDefinition("SET SESSION FOREIGN_KEY_CHECKS = 1", cancellationToken: cancellationToken));
    }
}
