using System.Collections.Concurrent;
using DvdSim.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MySqlConnector;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Connections to the MySQL server and to each run's own database. A run's database name
/// comes from messages, so it is validated as an identifier before it reaches SQL.
/// </summary>
public sealed class RunDatabases : IDisposable
{
    private readonly string _serverConnectionString;
    private readonly ConcurrentDictionary<string, MySqlDataSource> _sources = new(StringComparer.Ordinal);

    public RunDatabases(string serverConnectionString)
    {
        var builder = new MySqlConnectionStringBuilder(serverConnectionString)
        {
            AllowLoadLocalInfile = true,
            AllowUserVariables = true,
            Database = "",
            DefaultCommandTimeout = 300,
            // Pooled connections keep their session (UTC): no reset and no SET
            // round trip each time a stage opens one. DvdSim's writers leave no other session state.
            ConnectionReset = false,
        };
        _serverConnectionString = builder.ConnectionString;
        Server = Build(_serverConnectionString);
    }

    /// <summary>Connections without a default database (to create databases, check health).</summary>
    public MySqlDataSource Server { get; }

    public MySqlDataSource For(string database)
    {
        DatabaseName.EnsureValid(database);
        return _sources.GetOrAdd(database, db =>
            Build(new MySqlConnectionStringBuilder(_serverConnectionString) { Database = db }.ConnectionString));
    }

    public async Task<MySqlConnection> OpenAsync(string database, CancellationToken cancellationToken = default)
    {
        var connection = For(database).CreateConnection();
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task<bool> ExistsAsync(string database, CancellationToken cancellationToken = default)
    {
        DatabaseName.EnsureValid(database);
        await using var connection = await Server.OpenConnectionAsync(cancellationToken);
        await using var command = new MySqlCommand("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @db", connection);
        command.Parameters.AddWithValue("@db", database);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) > 0;
    }

    /// <summary>
    /// Every session runs in UTC: TIMESTAMP columns (Sakila's last_update) are stored relative to
    /// the session time zone, and simulated times must mean the same on every server.
    /// </summary>
    private static MySqlDataSource Build(string connectionString) =>
        new MySqlDataSourceBuilder(connectionString)
            .UseConnectionOpenedCallback(async (context, ct) =>
            {
                if (context.Conditions == MySqlConnectionOpenedConditions.None) return; // a pooled session, already set
                await using var command = new MySqlCommand("SET time_zone = '+00:00'", context.Connection);
                await command.ExecuteNonQueryAsync(ct);
            })
            .Build();

    /// <summary>
    /// A stage's write transaction, at READ COMMITTED: stages of different weeks write side by side,
    /// and without REPEATABLE READ's gap locks they do not deadlock each other. The level is given
    /// here because MySqlConnector sets the session's level at every BeginTransaction (REPEATABLE
    /// READ when none is given).
    /// </summary>
    public static ValueTask<MySqlTransaction> BeginWriteAsync(MySqlConnection connection, CancellationToken ct) =>
        connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);

    public void Dispose()
    {
        foreach (var source in _sources.Values) source.Dispose();
        Server.Dispose();
    }
}

public static class RunDatabasesExtensions
{
    public static IHostApplicationBuilder AddRunDatabases(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ServiceDefaultsExtensions.MySqlConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                $"ConnectionStrings__{ServiceDefaultsExtensions.MySqlConnectionName} is not set: the service needs a MySQL/MariaDB connection string.");
        var databases = new RunDatabases(connectionString);
        builder.Services.AddSingleton(databases);
        builder.Services.AddSingleton<RunSettingsCache>();
        builder.Services.AddHealthChecks().AddCheck<MySqlHealthCheck>("mysql", tags: ["ready"]);
        return builder;
    }
}

/// <summary>Ready when a login to the server succeeds and answers a query.</summary>
public sealed class MySqlHealthCheck(RunDatabases databases) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await databases.Server.OpenConnectionAsync(cancellationToken);
            await using var command = new MySqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("MySQL is not reachable: " + e.Message, e);
        }
    }
}
