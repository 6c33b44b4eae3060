using Dapper;
using DvdSim.Contracts;
using DvdSim.Model.Scenarios;
using DvdSim.Testing;
using MySqlConnector;

namespace DvdSim.PaymentService.Tests;

[CollectionDefinition(PaymentServiceFixture.Collection)]
public sealed class PaymentServiceCollection : ICollectionFixture<PaymentServiceFixture>;

/// <summary>
/// Real MariaDB and RabbitMQ, the payment service running alone from its build output, and a bus
/// to feed it RentalBatch messages. The schema service runs too, for setup only: it prepares each
/// test's run database. Rentals are written by the tests themselves (<see cref="ShopHistory"/>).
/// </summary>
public sealed class PaymentServiceFixture : IAsyncLifetime
{
    public const string Collection = "payment service";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>One store, a late fee that is not Sakila's, and late fees settled all four ways.</summary>
    public static readonly Scenario Scenario = new()
    {
        Name = "payments-test",
        Seed = 909,
        Catalog = new CatalogSettings { Films = 200, Actors = 40 },
        Stores = new StoreSettings { Count = 1, ClerksPerStore = 1 },
        Customers = new CustomerSettings { Initial = 80 },
        Fees = new FeeSettings { LateFeePerDay = 1.75m },
        LateFeePayments = new LateFeePayments
        {
            PayOnReturnShare = 0.25, PayLaterShare = 0.25, PayPartlyShare = 0.25, NeverPayShare = 0.25,
            PayLaterDaysMax = 20, PartialFraction = 0.4m, WriteOffAfterDays = 30,
        },
    };

    public static readonly string ScenarioText = ScenarioJson.Write(Scenario);

    public TestServers Servers { get; } = new();
    public TestBus Bus { get; private set; } = null!;
    public ServiceHandle Payments { get; private set; } = null!;
    public ServiceHandle Schema { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Servers.InitializeAsync();
        Bus = await Servers.StartBusAsync(bus => bus
            .Observe<RunPrepared>().Observe<RunFailed>().Observe<PaymentsRecorded>().Observe<MassTransit.Fault<RentalBatch>>());
        var schema = Servers.StartServiceAsync("DvdSim.SchemaService");
        var payments = Servers.StartServiceAsync("DvdSim.PaymentService");
        (Schema, Payments) = (await schema, await payments);
    }

    public Task DisposeAsync() => Servers.DisposeAsync();

    public Task<MySqlConnection> OpenAsync(string? database = null) => Servers.OpenConnectionAsync(database);

    /// <summary>Prepares a run database with the schema service (setup, not under test).</summary>
    public Task PrepareAsync(string database) =>
        Bus.PrepareRunAsync(new PrepareRun(database, ScenarioText, Scenario.StarterWeeks + Scenario.Weeks), Timeout, Schema);

    /// <summary>A prepared database holding <paramref name="build"/>'s rentals, and the history.</summary>
    public async Task<(string Database, ShopHistory History)> PrepareWithHistoryAsync(Action<ShopHistory> build)
    {
        var database = TestServers.CreateDatabaseName();
        await PrepareAsync(database);
        await using var db = await OpenAsync(database);
        var staff = await db.QueryFirstAsync<(int StaffId, int StoreId)>("SELECT staff_id, store_id FROM staff ORDER BY staff_id DESC");
        var history = new ShopHistory(Scenario, await ShopHistory.FilmsAsync(db), staff.StaffId);
        build(history);
        await history.WriteAsync(db, staff.StoreId);
        return (database, history);
    }

    /// <summary>Publishes the messages (all at once) and waits until each distinct one was reported billed in a PaymentsRecorded.</summary>
    public async Task PublishAndAwaitAsync(IReadOnlyList<RentalBatch> messages)
    {
        var database = messages.Select(m => m.Database).Distinct().Single();
        var expected = messages.Select(m => (m.Week, m.BatchNumber)).ToHashSet();
        var seen = Bus.Received<PaymentsRecorded>().Count(m => m.Database == database);
        await Task.WhenAll(messages.Select(m => Bus.PublishAsync(m)));
        await Eventually($"PaymentsRecorded for {expected.Count} messages of {database}", () =>
            expected.IsSubsetOf(Bus.Received<PaymentsRecorded>().Where(m => m.Database == database).Skip(seen)
                .SelectMany(m => m.Batches).Select(b => (b.Week, b.BatchNumber))), Payments);
    }

    /// <summary>CHECKSUM TABLE of the given tables.</summary>
    public Task<IReadOnlyDictionary<string, string>> ChecksumsAsync(string database, params string[] tables) =>
        Servers.ChecksumsAsync(database, only: tables);

    public static Task Eventually(string what, Func<bool> done, ServiceHandle service) => service.WaitForAsync(what, done, Timeout);
}
