using Dapper;
using Microsoft.Extensions.Hosting;

namespace DvdSim.EndToEnd.Tests;

/// <summary>
/// The session a stage writes its week in: UTC and READ COMMITTED (stages of different weeks write
/// side by side; REPEATABLE READ's gap locks made them deadlock), also after a pooled session is
/// reused and after a transaction, where MySqlConnector sets the session's level again.
/// </summary>
[Collection(SimulatedRuns.Collection)]
public sealed class WriteSessionTests(SimulatedRuns runs)
{
    [Fact]
    public async Task A_write_transaction_runs_in_utc_at_read_committed_on_new_and_pooled_sessions()
    {
        using var databases = new RunDatabases(runs.Servers.MySqlConnectionString);
        for (var open = 0; open < 3; open++)
        {
            await using var db = await databases.OpenAsync(runs.Main);
            await using (var tx = await RunDatabases.BeginWriteAsync(db, CancellationToken.None))
            {
                var (isolation, zone) = await db.QuerySingleAsync<(string Isolation, string Zone)>("SELECT @@tx_isolation, @@time_zone", transaction: tx);
                Assert.Equal("READ-COMMITTED", isolation);
                Assert.Equal("+00:00", zone);
                await tx.CommitAsync();
            }
            Assert.Equal("READ-COMMITTED", await db.ExecuteScalarAsync<string>("SELECT @@tx_isolation"));
        }
    }
}
