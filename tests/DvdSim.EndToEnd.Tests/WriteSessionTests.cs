using Dapper;
using DvdSim.Testing;
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

    [Fact]
    public async Task A_batch_committed_in_one_round_trip_runs_at_read_committed_and_leaves_nothing_behind_when_a_statement_fails()
    {
        using var databases = new RunDatabases(runs.Servers.MySqlConnectionString);
        var scratch = await CreateScratchAsync(databases, "CREATE TABLE probe (id INT PRIMARY KEY, isolation VARCHAR(32)) ENGINE=InnoDB");

        for (var open = 0; open < 2; open++)
        {
            await using var db = await databases.OpenAsync(scratch);
            // The level of the running transaction, as InnoDB sees it (the session variable says nothing about it).
            // INNODB_TRX is a snapshot InnoDB refreshes at most every 100 ms: the pause makes it include this transaction.
            await new SqlBatch()
                .Statement($"INSERT INTO probe (id, isolation) VALUES ({open}, 'pending')")
                .Statement("DO SLEEP(0.15)")
                .Statement($"""
                    UPDATE probe SET isolation = (SELECT trx_isolation_level FROM information_schema.INNODB_TRX
                                                  WHERE trx_mysql_thread_id = CONNECTION_ID()) WHERE id = {open}
                    """)
                .CommitAsync(db, CancellationToken.None);
        }

        // A failing statement: nothing of the batch stays, and the pooled session is not left inside a transaction.
        await using (var db = await databases.OpenAsync(scratch))
        {
            var failing = new SqlBatch()
                .Statement("INSERT INTO probe (id, isolation) VALUES (10, 'kept?')")
                .Statement("INSERT INTO probe (id, isolation) VALUES (0, 'duplicate')");
            var error = await Assert.ThrowsAsync<MySqlConnector.MySqlException>(() => failing.CommitAsync(db, CancellationToken.None));
            Assert.Equal(MySqlConnector.MySqlErrorCode.DuplicateKeyEntry, error.ErrorCode);
            Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT @@in_transaction"));
        }
        await using (var db = await databases.OpenAsync(scratch))
            Assert.Equal(["READ COMMITTED", "READ COMMITTED"],
                (await db.QueryAsync<string>("SELECT isolation FROM probe ORDER BY id")).ToList());
        await using (var server = await runs.Servers.OpenConnectionAsync())
            await server.ExecuteAsync($"DROP DATABASE `{scratch}`");
    }

    [Fact]
    public async Task A_batch_with_bulk_loads_is_one_transaction_skips_rows_already_there_and_fails_whole_on_a_broken_foreign_key()
    {
        using var databases = new RunDatabases(runs.Servers.MySqlConnectionString);
        var scratch = await CreateScratchAsync(databases, ParentChildProbe);
        var rows = SqlBatch.BulkThreshold + 1; // enough to go through LOAD DATA
        static IEnumerable<object?[]> Parents(int from, int count) => Enumerable.Range(from, count).Select(i => new object?[] { i });
        static IEnumerable<object?[]> Children(int from, int count, int parentOffset) =>
            Enumerable.Range(from, count).Select(i => new object?[] { i, i + parentOffset });
        async Task<(long Parents, long Children, long Probes)> CountsAsync()
        {
            await using var db = await databases.OpenAsync(scratch);
            return await db.QuerySingleAsync<(long, long, long)>(
                "SELECT (SELECT COUNT(*) FROM parent), (SELECT COUNT(*) FROM child), (SELECT COUNT(*) FROM probe)");
        }

        // A statement failing after the loads: none of the loaded rows stay, and no transaction is left open.
        await using (var db = await databases.OpenAsync(scratch))
        {
            var failing = new SqlBatch()
                .Insert("parent", ["id"], Parents(1, rows))
                .Statement("INSERT INTO probe (id, isolation) VALUES (1, 'first')")
                .Statement("INSERT INTO probe (id, isolation) VALUES (1, 'duplicate')");
            await Assert.ThrowsAsync<MySqlConnector.MySqlException>(() => failing.CommitAsync(db, CancellationToken.None));
            Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT @@in_transaction"));
        }
        Assert.Equal((0, 0, 0), await CountsAsync());

        // Loads between statements commit together.
        await using (var db = await databases.OpenAsync(scratch))
            await new SqlBatch()
                .Insert("parent", ["id"], Parents(1, rows))
                .Insert("child", ["id", "parent_id"], Children(1, rows, parentOffset: 0))
                .Statement("INSERT INTO probe (id, isolation) VALUES (1, 'after the loads')")
                .CommitAsync(db, CancellationToken.None);
        Assert.Equal((rows, rows, 1), await CountsAsync());

        // The same rows again (a redelivered stage) are skipped, and new ones are added.
        await using (var db = await databases.OpenAsync(scratch))
            await new SqlBatch().Insert("parent", ["id"], Parents(1, rows + 5)).CommitAsync(db, CancellationToken.None);
        Assert.Equal((rows + 5, rows, 1), await CountsAsync());

        // A child whose parent does not exist fails the batch loudly, with the table named; nothing of it stays.
        await using (var db = await databases.OpenAsync(scratch))
        {
            var orphans = new SqlBatch()
                .Insert("parent", ["id"], Parents(10_000, rows))
                .Insert("child", ["id", "parent_id"], Children(10_001, rows, parentOffset: 90_000)); // parents 100,001 and up
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => orphans.CommitAsync(db, CancellationToken.None));
            Assert.Contains("child", error.Message);
            Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT @@in_transaction"));
        }
        Assert.Equal((rows + 5, rows, 1), await CountsAsync());

        await using (var server = await runs.Servers.OpenConnectionAsync())
            await server.ExecuteAsync($"DROP DATABASE `{scratch}`");
    }

    [Fact]
    public async Task A_batch_without_foreign_key_checks_turns_them_on_again_when_it_commits_and_when_it_fails()
    {
        using var databases = new RunDatabases(runs.Servers.MySqlConnectionString);
        var scratch = await CreateScratchAsync(databases, ParentChildProbe);
        // No parents at all; all but the first go in one LOAD DATA.
        var orphans = Enumerable.Range(1, SqlBatch.BulkThreshold + 2).Select(i => new object?[] { i, 1000 + i }).ToList();

        await using (var db = await databases.OpenAsync(scratch))
        {
            await new SqlBatch().WithoutForeignKeyChecks().Insert("child", ["id", "parent_id"], orphans.Take(1)).CommitAsync(db, CancellationToken.None);
            Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT @@foreign_key_checks"));

            var failing = new SqlBatch().WithoutForeignKeyChecks()
                .Insert("child", ["id", "parent_id"], orphans.Skip(1))
                .Statement("INSERT INTO probe (id, isolation) VALUES (1, 'first')")
                .Statement("INSERT INTO probe (id, isolation) VALUES (1, 'duplicate')");
            await Assert.ThrowsAsync<MySqlConnector.MySqlException>(() => failing.CommitAsync(db, CancellationToken.None));
            Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT @@foreign_key_checks"));
            Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT @@in_transaction"));
            Assert.Equal((1L, 0L), await db.QuerySingleAsync<(long, long)>("SELECT (SELECT COUNT(*) FROM child), (SELECT COUNT(*) FROM probe)"));

            // And a batch with its checks on still refuses an orphan on that session.
            var refused = await Assert.ThrowsAsync<MySqlConnector.MySqlException>(() =>
                new SqlBatch().Insert("child", ["id", "parent_id"], [[5000, 5000]]).CommitAsync(db, CancellationToken.None));
            Assert.Equal(MySqlConnector.MySqlErrorCode.NoReferencedRow2, refused.ErrorCode);
        }

        await using (var server = await runs.Servers.OpenConnectionAsync())
            await server.ExecuteAsync($"DROP DATABASE `{scratch}`");
    }

    /// <summary>A parent, a child with a foreign key to it, and a probe table for plain statements.</summary>
    private const string ParentChildProbe = """
        CREATE TABLE parent (id INT PRIMARY KEY) ENGINE=InnoDB;
        CREATE TABLE child (id INT PRIMARY KEY, parent_id INT NOT NULL, FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB;
        CREATE TABLE probe (id INT PRIMARY KEY, isolation VARCHAR(32)) ENGINE=InnoDB;
        """;

    /// <summary>A database of the test's own, with <paramref name="tables"/> created in it.</summary>
    private async Task<string> CreateScratchAsync(RunDatabases databases, string tables)
    {
        var scratch = TestServers.CreateDatabaseName();
        await using (var server = await runs.Servers.OpenConnectionAsync())
            await server.ExecuteAsync($"CREATE DATABASE `{scratch}`");
        await using (var db = await databases.OpenAsync(scratch))
            await db.ExecuteAsync(tables);
        return scratch;
    }
}
