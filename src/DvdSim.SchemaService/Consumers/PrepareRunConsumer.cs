using System.Diagnostics;
using Dapper;
using DvdSim.Contracts;
using DvdSim.Model;
using DvdSim.Model.Catalog;
using DvdSim.Model.Scenarios;
using DvdSim.SchemaService.Storage;
using MassTransit;
using MySqlConnector;

namespace DvdSim.SchemaService.Consumers;

/// <summary>
/// Creates a run's database: the Sakila schema, DvdSim's extension tables and the base data,
/// then the dvdsim_run row — last, in the same transaction as the data, so that its presence
/// means "prepared". Idempotent: a redelivered PrepareRun finds the row and only republishes
/// RunPrepared; one that finds dvdsim_run without its row rebuilds the database from scratch.
/// Failures end as RunFailed, never as an endless redelivery.
/// </summary>
public sealed class PrepareRunConsumer(RunDatabases databases, ILogger<PrepareRunConsumer> logger) : IConsumer<PrepareRun>
{
    public static readonly ActivitySource Source = new("DvdSim.SchemaService");

    public async Task Consume(ConsumeContext<PrepareRun> context)
    {
        var message = context.Message;
        var ct = context.CancellationToken;
        using var activity = Source.StartActivity("prepare run");
        activity?.SetTag("dvdsim.database", message.Database);
        try
        {
            DatabaseName.EnsureValid(message.Database);
            var scenario = ScenarioJson.Read(message.ScenarioJson);
            ScenarioValidator.Validate(scenario);
            var prepared = await PrepareAsync(message, scenario, ct);
            await context.Publish(prepared, ct);
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            // Shutting down is the one case left to redelivery; everything else stops the run here.
            logger.LogError(e, "Preparing run database {Database} failed", message.Database);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            await context.Publish(new RunFailed(message.Database ?? "", 0, "schema", e.Message), ct);
        }
    }

    private async Task<RunPrepared> PrepareAsync(PrepareRun message, Scenario scenario, CancellationToken ct)
    {
        var database = message.Database;
        await using var connection = await databases.Server.OpenConnectionAsync(ct);
        // One preparation per database at a time, across replicas and redeliveries.
        var lockName = "dvdsim:prepare:" + database[..Math.Min(database.Length, 48)];
        if (await connection.ExecuteScalarAsync<int?>(new CommandDefinition("SELECT GET_LOCK(@lockName, 300)", new { lockName }, cancellationToken: ct)) != 1)
            throw new TimeoutException($"database '{database}' is being prepared elsewhere and did not finish within 300 s");
        try
        {
            await Execute(connection, $"CREATE DATABASE IF NOT EXISTS `{database}` CHARACTER SET utf8mb4", ct);
            var (state, storedJson) = await RunRecord.InspectAsync(connection, database, ct);
            switch (state)
            {
                case RunDatabaseState.Prepared:
                    var stored = ScenarioJson.Read(storedJson!);
                    if (ScenarioJson.Write(stored) != ScenarioJson.Write(scenario))
                        throw new InvalidOperationException(
                            $"database '{database}' already holds run '{stored.Name}' (seed {stored.Seed}) made from a different scenario; " +
                            "use another database name, or the scenario it was made with");
                    logger.LogInformation("Run database {Database} is already prepared; announcing it again", database);
                    return Prepared(database, stored);
                case RunDatabaseState.Foreign:
                    throw new InvalidOperationException(
                        $"database '{database}' already exists and holds tables but no DvdSim run (no dvdsim_run table); it is left untouched — use another database name");
                case RunDatabaseState.Incomplete:
                    logger.LogWarning("Run database {Database} was left half-prepared; rebuilding it", database);
                    await Execute(connection, $"DROP DATABASE `{database}`", ct);
                    await Execute(connection, $"CREATE DATABASE `{database}` CHARACTER SET utf8mb4", ct);
                    break;
            }

            await connection.ChangeDatabaseAsync(database, ct);
            await SchemaScripts.CreateAllAsync(connection, ct);

            var data = BaseData.Generate(scenario);
            await Execute(connection, "SET SESSION time_zone = '+00:00', SESSION FOREIGN_KEY_CHECKS = 0", ct);
            await using (var transaction = await connection.BeginTransactionAsync(ct))
            {
                await BaseDataWriter.WriteAsync(connection, transaction, data, ct);
                await RunRecord.InsertAsync(connection, transaction, scenario, message.ScenarioJson, message.WeeksTarget, ct);
                await transaction.CommitAsync(ct);
            }
            await Execute(connection, "SET SESSION FOREIGN_KEY_CHECKS = 1", ct);
            logger.LogInformation("Prepared run database {Database}: {Films} films, {Customers} customers, {Stores} stores",
                database, data.Films.Count, data.Customers.Count, data.Stores.Count);
            return Prepared(database, scenario);
        }
        finally
        {
            // The lock belongs to the session: release it even when the work failed. If the
            // connection itself broke, the server already dropped the lock with the session.
            try
            {
                await connection.ExecuteScalarAsync<int?>(new CommandDefinition("SELECT RELEASE_LOCK(@lockName)", new { lockName }));
            }
            catch (MySqlException e)
            {
                logger.LogDebug(e, "Releasing the preparation lock of {Database} failed", database);
            }
        }
    }

    private static RunPrepared Prepared(string database, Scenario scenario) =>
        new(database, scenario.Catalog.Films, scenario.Customers.Initial, scenario.Stores.Count);

    private static Task Execute(MySqlConnection connection, string sql, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: ct));
}
