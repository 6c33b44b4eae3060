using Dapper;
using DvdSim.Contracts;
using DvdSim.Model.Scenarios;
using DvdSim.Testing;
using MySqlConnector;

namespace DvdSim.TransactionService.Tests;

[CollectionDefinition(TransactionServiceFixture.Collection)]
public sealed class TransactionServiceCollection : ICollectionFixture<TransactionServiceFixture>;

/// <summary>A week the transaction service simulated: what it published, and the database right after.</summary>
public sealed record WeekRun(int Week, RentalsClosed Closed, IReadOnlyList<RentalBatch> Batches, WeekSnapshot? Snapshot)
{
    public IEnumerable<RentalEvent> Events => Batches.OrderBy(b => b.BatchNumber).SelectMany(b => b.Events);
}

public sealed record RentalRow(long RentalId, DateTime RentalDate, int InventoryId, int CustomerId, int StaffId, DateTime? ReturnDate);

/// <summary>The rows the transaction service owns, read right after a week's RentalsClosed.</summary>
public sealed record WeekSnapshot(
    IReadOnlyList<RentalRow> Rentals,
    IReadOnlyDictionary<long, DateTime> Losses,
    IReadOnlyList<(int CustomerId, DateTime CreateDate, bool Active)> Customers,
    IReadOnlyList<(int InventoryId, DateTime ChangedAt, string Status)> StatusChanges);

/// <summary>
/// Real MariaDB and RabbitMQ and the transaction service running alone from its build output.
/// Setup first runs the schema service (to prepare the run databases) and the inventory service
/// (to make each week's real InventoryReady), then stops both: from then on the transaction
/// service is the only service running, and the tests feed it those InventoryReady messages
/// themselves, one week at a time. <see cref="Main"/> is played for <see cref="Weeks"/> weeks up
/// front, with a snapshot after each; tests only read it. <see cref="Twin"/> and
/// <see cref="Replay"/> and <see cref="Pipelined"/> have the same stock and belong to one test each.
/// </summary>
public sealed class TransactionServiceFixture : IAsyncLifetime
{
    public const string Collection = "transaction service";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    public const int Weeks = 6;

    /// <summary>
    /// Small but busy: over 1,000 billable events in most weeks (so weeks take several batches),
    /// and every level-4 behaviour on — segments with their own limits and churn, a reactivation
    /// phase, late fees paid later, partly or never, suspension above a balance, damaged copies
    /// and lost ones — so that a state rebuilt from the database has everything to get right.
    /// </summary>
    public static readonly Scenario Scenario = new()
    {
        Name = "transactions-test",
        Seed = 2024,
        StartDate = new DateOnly(2002, 6, 17),
        StarterWeeks = 2,
        Weeks = 4,
        Catalog = new CatalogSettings { Films = 200, Actors = 60 },
        Stores = new StoreSettings { Count = 2, ClerksPerStore = 1, InitialCopiesMin = 2, InitialCopiesMax = 5 },
        Customers = new CustomerSettings { Initial = 150, NewPerWeek = 8, ChurnAfterInactiveWeeks = 3 },
        Demand = new DemandSettings { BaseWeeklyRentals = 700, AnnualGrowth = 0, MonthlySeasonality = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
        Returns = new ReturnSettings { LateShare = 0.4, LateDaysMax = 6, NeverReturnedShare = 0.03, LostAfterDaysOverdue = 4 },
        Releases = new ReleaseSettings { FilmsPerWeek = 2 },
        Inventory = new InventorySettings { Rules = [new PurchaseRule { EveryWeeks = 2, Quantity = 10, Reason = "top-up" }] },
        Phases =
        [
            new BusinessPhase { Name = "opening", FromWeek = 1, ToWeek = 2 },
            new BusinessPhase { Name = "comeback", FromWeek = 3, ToWeek = 6, ReactivationShare = 0.3 },
        ],
        Segments =
        [
            new CustomerSegment { Name = "loyal", Share = 0.3, Activity = 2, MaxSimultaneousRentals = 6, NeverInactive = true },
            new CustomerSegment { Name = "casual", Share = 0.7, Activity = 1, WeeklyChurn = 0.05, LifetimeWeeks = 8, MaxSimultaneousRentals = 4 },
        ],
        LateFeePayments = new LateFeePayments
        {
            PayOnReturnShare = 0.4, PayLaterShare = 0.3, PayPartlyShare = 0.2, NeverPayShare = 0.1,
            PayLaterDaysMax = 9, WriteOffAfterDays = 12, SuspendAboveBalance = 6,
        },
        Damage = new DamageSettings { DamagedShare = 0.05, MaintenanceDays = 4, BeyondRepairShare = 0.3 },
    };

    public static readonly string ScenarioText = ScenarioJson.Write(Scenario);

    public TestServers Servers { get; } = new();
    public TestBus Bus { get; private set; } = null!;
    public ServiceHandle Transactions { get; private set; } = null!;
    public string Main { get; } = TestServers.CreateDatabaseName();
    public string Twin { get; } = TestServers.CreateDatabaseName();
    public string Replay { get; } = TestServers.CreateDatabaseName();
    public string Pipelined { get; } = TestServers.CreateDatabaseName();
    /// <summary>The inventory service's InventoryReady of each database, weeks 1..<see cref="Weeks"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<InventoryReady>> Stock { get; private set; } = null!;
    public IReadOnlyList<WeekRun> MainWeeks { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await Servers.InitializeAsync();
        Bus = await Servers.StartBusAsync(bus => bus
            .Observe<RunPrepared>().Observe<RunFailed>().Observe<InventoryReady>().Observe<RentalBatch>().Observe<RentalsClosed>());

        // Setup: databases and stock, before the transaction service exists (so nothing consumes InventoryReady yet).
        var schemaStart = Servers.StartServiceAsync("DvdSim.SchemaService");
        var inventoryStart = Servers.StartServiceAsync("DvdSim.InventoryService");
        await using (var schema = await schemaStart)
        await using (var inventory = await inventoryStart)
        {
            string[] databases = [Main, Twin, Replay, Pipelined];
            await Task.WhenAll(databases.Select(db => PrepareAsync(db, schema)));
            var stock = new Dictionary<string, IReadOnlyList<InventoryReady>>();
            foreach (var db in databases)
            {
                var weeks = new List<InventoryReady>();
                for (var week = 1; week <= Weeks; week++) weeks.Add(await StockWeekAsync(db, week, inventory));
                stock[db] = weeks;
            }
            Stock = stock;
        }

        Transactions = await Servers.StartServiceAsync("DvdSim.TransactionService");
        var runs = new List<WeekRun>();
        for (var week = 1; week <= Weeks; week++)
        {
            var run = await RunWeekAsync(Main, week);
            runs.Add(run with { Snapshot = await SnapshotAsync(Main) });
        }
        MainWeeks = runs;
    }

    public Task DisposeAsync() => Servers.DisposeAsync();

    public Task<MySqlConnection> OpenAsync(string? database = null) => Servers.OpenConnectionAsync(database);

    private Task PrepareAsync(string database, ServiceHandle schema) =>
        Bus.PrepareRunAsync(new PrepareRun(database, ScenarioText, Scenario.StarterWeeks + Scenario.Weeks), Timeout, schema);

    private async Task<InventoryReady> StockWeekAsync(string database, int week, ServiceHandle inventory)
    {
        await Bus.PublishAsync(new WeekStarted(database, week));
        InventoryReady? ready = null;
        await Eventually($"InventoryReady for {database} week {week}", () =>
            (ready = Bus.Received<InventoryReady>().FirstOrDefault(m => m.Database == database && m.Week == week)) is not null, inventory);
        return ready!;
    }

    /// <summary>
    /// Publishes the week's InventoryReady (the one the inventory service made, unless given) and
    /// returns the next RentalsClosed for that week with the RentalBatch messages that came with it.
    /// </summary>
    public async Task<WeekRun> RunWeekAsync(string database, int week, TimeSpan? crashAfter = null)
    {
        bool Matches(RentalsClosed m) => m.Database == database && m.Week == week;
        bool BatchMatches(RentalBatch m) => m.Database == database && m.Week == week;
        var seenClosed = Bus.Received<RentalsClosed>().Count(Matches);
        var seenBatches = Bus.Received<RentalBatch>().Count(BatchMatches);

        await Bus.PublishAsync(Stock[database][week - 1]);
        if (crashAfter is { } delay)
        {
            // Kill it while it may be simulating, writing or publishing the week: after the
            // restart the redelivered message must end the same, whichever point it reached.
            await Task.Delay(delay);
            var restarts = Transactions.Snapshot.Restarts;
            Transactions.Crash();
            await Transactions.WaitUntilRunningAsync(restarts + 1);
        }

        RentalsClosed? closed = null;
        await Eventually($"RentalsClosed for {database} week {week}", () =>
            (closed = Bus.Received<RentalsClosed>().Where(Matches).Skip(seenClosed).FirstOrDefault()) is not null, Transactions);
        List<RentalBatch> batches = [];
        await Eventually($"{closed!.BatchCount} RentalBatch for {database} week {week}", () =>
            (batches = Bus.Received<RentalBatch>().Where(BatchMatches).Skip(seenBatches).ToList()).Count >= closed.BatchCount, Transactions);
        // A crash after publishing part of the batches leaves them on the bus too: keep the last complete set.
        var last = batches.GroupBy(b => b.BatchNumber).Select(g => g.Last()).OrderBy(b => b.BatchNumber).ToList();
        return new WeekRun(week, closed, last, null);
    }

    public async Task<WeekSnapshot> SnapshotAsync(string database)
    {
        await using var db = await OpenAsync(database);
        var rentals = (await db.QueryAsync<(long, DateTime, int, int, int, DateTime?)>(
                "SELECT rental_id, rental_date, inventory_id, customer_id, staff_id, return_date FROM rental ORDER BY rental_id"))
            .Select(r => new RentalRow(r.Item1, r.Item2, r.Item3, r.Item4, r.Item5, r.Item6)).ToList();
        var losses = (await db.QueryAsync<(long, DateTime)>("SELECT rental_id, declared_on FROM rental_loss"))
            .ToDictionary(l => l.Item1, l => l.Item2);
        var customers = (await db.QueryAsync<(int, DateTime, bool)>("SELECT customer_id, create_date, active FROM customer ORDER BY customer_id")).ToList();
        // The status trail of rentals (damage, maintenance, losses); purchases are the inventory service's, which runs ahead.
        var status = (await db.QueryAsync<(int, DateTime, string)>(
            "SELECT inventory_id, changed_at, status FROM inventory_status_history WHERE reason NOT LIKE 'purchased:%'")).ToList();
        return new WeekSnapshot(rentals, losses, customers, status);
    }

    /// <summary>CHECKSUM TABLE of the given tables.</summary>
    public Task<IReadOnlyDictionary<string, string>> ChecksumsAsync(string database, IEnumerable<string> tables) =>
        Servers.ChecksumsAsync(database, only: tables);

    /// <summary>Every base table but the run metadata (which records wall-clock times).</summary>
    public async Task<IReadOnlyList<string>> DataTablesAsync(string database)
    {
        await using var connection = await OpenAsync(database);
        return (await connection.QueryAsync<string>(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = @database AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME <> 'dvdsim_run' ORDER BY TABLE_NAME",
            new { database })).ToList();
    }

    private static Task Eventually(string what, Func<bool> done, ServiceHandle service) => service.WaitForAsync(what, done, Timeout);
}
