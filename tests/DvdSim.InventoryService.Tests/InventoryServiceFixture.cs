using Dapper;
using DvdSim.Contracts;
using DvdSim.Model.Scenarios;
using DvdSim.Testing;
using MySqlConnector;

namespace DvdSim.InventoryService.Tests;

[CollectionDefinition(InventoryServiceFixture.Collection)]
public sealed class InventoryServiceCollection : ICollectionFixture<InventoryServiceFixture>;

/// <summary>
/// Real MariaDB and RabbitMQ, the inventory service running alone from its build output, and a
/// bus to talk to it. The schema service runs too, for setup only: it prepares each test's run
/// database and consumes nothing of the inventory's. <see cref="Main"/> is prepared and played
/// for <see cref="Weeks"/> weeks up front; tests only read it. Tests that publish get their own database.
/// </summary>
public sealed class InventoryServiceFixture : IAsyncLifetime
{
    public const string Collection = "inventory service";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    public const int Weeks = 5;

    /// <summary>Small, with a release every week or so, a scheduled purchase (week 2) and a rule (every 3 weeks).</summary>
    public static readonly Scenario Scenario = new()
    {
        Name = "inventory-test",
        Seed = 7331,
        StarterWeeks = 2,
        Weeks = 4,
        Catalog = new CatalogSettings { Films = 200, Actors = 60 },
        Stores = new StoreSettings { Count = 2, ClerksPerStore = 1, InitialCopiesMin = 2, InitialCopiesMax = 4 },
        Customers = new CustomerSettings { Initial = 80 },
        Releases = new ReleaseSettings { FilmsPerWeek = 2, CopiesPerStore = 2, HotCategoryWeeks = 2, HotCategoryShare = 0.5 },
        Inventory = new InventorySettings
        {
            Schedule = [new PurchaseOrder { Week = 2, Quantity = 7, Reason = "holiday stock" }],
            Rules = [new PurchaseRule { EveryWeeks = 3, Quantity = 5, Reason = "quarterly top-up" }],
        },
    };

    public static readonly string ScenarioText = ScenarioJson.Write(Scenario);

    public TestServers Servers { get; } = new();
    public TestBus Bus { get; private set; } = null!;
    public ServiceHandle Inventory { get; private set; } = null!;
    public ServiceHandle Schema { get; private set; } = null!;
    public string Main { get; } = TestServers.CreateDatabaseName();
    /// <summary>The InventoryReady the service published for <see cref="Main"/>, weeks 1..<see cref="Weeks"/>.</summary>
    public IReadOnlyList<InventoryReady> MainWeeks { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await Servers.InitializeAsync();
        Bus = await Servers.StartBusAsync(bus => bus.Observe<RunPrepared>().Observe<RunFailed>().Observe<InventoryReady>());
        var schema = Servers.StartServiceAsync("DvdSim.SchemaService");
        var inventory = Servers.StartServiceAsync("DvdSim.InventoryService");
        (Schema, Inventory) = (await schema, await inventory);

        await PrepareAsync(Main);
        var weeks = new List<InventoryReady>();
        for (var week = 1; week <= Weeks; week++) weeks.Add(await StartWeekAsync(Main, week));
        MainWeeks = weeks;
    }

    public Task DisposeAsync() => Servers.DisposeAsync();

    public Task<MySqlConnection> OpenAsync(string? database = null) => Servers.OpenConnectionAsync(database);

    /// <summary>Prepares a run database with the schema service (setup, not under test).</summary>
    public Task PrepareAsync(string database) =>
        Bus.PrepareRunAsync(new PrepareRun(database, ScenarioText, Scenario.StarterWeeks + Scenario.Weeks), Timeout, Schema);

    /// <summary>Publishes WeekStarted and returns the next InventoryReady the service publishes for that week.</summary>
    public async Task<InventoryReady> StartWeekAsync(string database, int week)
    {
        var seen = Bus.Received<InventoryReady>().Count(m => m.Database == database && m.Week == week);
        await Bus.PublishAsync(new WeekStarted(database, week));
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var ready = Bus.Received<InventoryReady>().Where(m => m.Database == database && m.Week == week).Skip(seen).FirstOrDefault();
            if (ready is not null) return ready;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no InventoryReady for {database} week {week} within {Timeout.TotalSeconds} s:\n" +
                                   string.Join("\n", Inventory.ConsoleLines.TakeLast(40)));
    }

    /// <summary>CHECKSUM TABLE of every base table of the database, by table name.</summary>
    public Task<IReadOnlyDictionary<string, string>> ChecksumsAsync(string database) => Servers.ChecksumsAsync(database);
}
