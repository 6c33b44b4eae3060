using DvdSim.Model;
using DvdSim.Storage;
using MySqlConnector;

namespace DvdSim.AppHost.Commands;

/// <summary>Table checksums of a run's database: equal checksums ⇒ identical data.</summary>
internal sealed class ChecksumCommand : AppHostCommand
{
    public override string Name => "checksum";
    public override string Summary => "print CHECKSUM TABLE of every data table of a run's database";
    public override IReadOnlyList<CommandOption> Options =>
    [
        new("--database", "NAME", "the run's database (required)"),
    ];

    public override async Task<int> RunAsync(CommandContext context)
    {
        var database = context.Value("--database") ?? throw new UsageException("checksum needs --database NAME");
        if (DatabaseName.Problem(database) is { } invalid) throw new UsageException("--database: " + invalid);

        RunningCluster? cluster = null;
        var connectionString = context.Hosting.ExternalMySqlConnectionString;
        if (connectionString is null)
        {
            // Only the database server is needed: start it alone on the kept data directory.
            cluster = await context.StartClusterAsync(only: [RunningCluster.MySql]);
            connectionString = cluster.MySqlConnectionString;
        }
        try
        {
            await using var connection = new MySqlConnection(connectionString);
            await connection.OpenAsync();
            var checksums = await TableChecksums.ComputeAsync(connection, database);
            foreach (var (table, checksum) in checksums) context.Out.WriteLine($"{table,-28} {checksum}");
            context.Out.WriteLine($"{"all tables",-28} {TableChecksums.Combined(checksums)}");
            return 0;
        }
        catch (ArgumentException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        finally
        {
            if (cluster is not null) await cluster.DisposeAsync();
        }
    }
}
