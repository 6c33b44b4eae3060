using Dapper;
using DvdSim.Contracts;
using DvdSim.Model.Scenarios;
using DvdSim.Testing;
using MySqlConnector;

namespace DvdSim.SchemaService.Tests;

[CollectionDefinition(SchemaServiceFixture.Collection)]
public sealed class SchemaServiceCollection : ICollectionFixture<SchemaServiceFixture>;

/// <summary>
/// Real MariaDB and RabbitMQ, the schema service running alone from its build output, and a bus
/// to talk to it. Prepares two databases from the same scenario up front: <see cref="Main"/>,
/// which tests only read (or re-prepare, which must change nothing), and <see cref="Twin"/>.
/// </summary>
public sealed class SchemaServiceFixture : IAsyncLifetime
{
    public const string Collection = "schema service";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static readonly Scenario Scenario = new()
    {
        Name = "schema-test",
        Seed = 4242,
        Catalog = new CatalogSettings { Films = 300, Actors = 100 },
        Stores = new StoreSettings { Count = 2, ClerksPerStore = 2 },
        Customers = new CustomerSettings { Initial = 120 },
        // Not Sakila's 1.00 nor the default 1.50, so the balance function visibly reads it.
        Fees = new FeeSettings { LateFeePerDay = 2.25m },
    };

    public static readonly string ScenarioText = ScenarioJson.Write(Scenario);
    public const int WeeksTarget = 156;

    public TestServers Servers { get; } = new();
    public ServiceHandle Service { get; private set; } = null!;
    public TestBus Bus { get; private set; } = null!;
    public string Main { get; } = TestServers.CreateDatabaseName();
    public string Twin { get; } = TestServers.CreateDatabaseName();
    public RunPrepared MainPrepared { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Servers.InitializeAsync();
        Bus = await Servers.StartBusAsync(bus => bus.Observe<RunPrepared>().Observe<RunFailed>());
        Service = await Servers.StartServiceAsync("DvdSim.SchemaService");
        MainPrepared = await PrepareAsync(Main);
        await PrepareAsync(Twin);
    }

    public Task DisposeAsync() => Servers.DisposeAsync();

    public Task<MySqlConnection> OpenAsync(string? database = null) => Servers.OpenConnectionAsync(database);

    /// <summary>Publishes PrepareRun and returns the service's RunPrepared; fails the test on RunFailed.</summary>
    public async Task<RunPrepared> PrepareAsync(string database, string? scenarioJson = null)
    {
        var outcome = await PublishAndAwaitAsync(database, scenarioJson ?? ScenarioText);
        return outcome as RunPrepared
            ?? throw new Xunit.Sdk.XunitException($"expected RunPrepared for {database}, got RunFailed: {((RunFailed)outcome).Reason}");
    }

    /// <summary>Publishes PrepareRun and returns the service's RunFailed; fails the test on RunPrepared.</summary>
    public async Task<RunFailed> PrepareExpectingFailureAsync(string database, string? scenarioJson = null)
    {
        var outcome = await PublishAndAwaitAsync(database, scenarioJson ?? ScenarioText);
        return outcome as RunFailed ?? throw new Xunit.Sdk.XunitException($"expected RunFailed for {database}, got {outcome}");
    }

    /// <summary>The first RunPrepared or RunFailed for the database published after this call.</summary>
    private async Task<object> PublishAndAwaitAsync(string database, string scenarioJson)
    {
        var seenPrepared = Bus.Received<RunPrepared>().Count(m => m.Database == database);
        var seenFailed = Bus.Received<RunFailed>().Count(m => m.Database == database);
        await Bus.PublishAsync(new PrepareRun(database, scenarioJson, WeeksTarget));

        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var prepared = Bus.Received<RunPrepared>().Where(m => m.Database == database).Skip(seenPrepared).FirstOrDefault();
            if (prepared is not null) return prepared;
            var failed = Bus.Received<RunFailed>().Where(m => m.Database == database).Skip(seenFailed).FirstOrDefault();
            if (failed is not null) return failed;
            await Task.Delay(50);
        }
        throw new TimeoutException($"neither RunPrepared nor RunFailed for {database} within {Timeout.TotalSeconds} s; " +
                                   $"service output:\n{string.Join("\n", Service.ConsoleLines.TakeLast(40))}");
    }

    public async Task<bool> DatabaseExistsAsync(string database)
    {
        await using var connection = await OpenAsync();
        return await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @database", new { database }) > 0;
    }

    /// <summary>CHECKSUM TABLE of every base table of the database but <paramref name="except"/>, by table name.</summary>
    public Task<IReadOnlyDictionary<string, string>> ChecksumsAsync(string database, params string[] except) =>
        Servers.ChecksumsAsync(database, except: except);
}
