using System.Diagnostics;
using Dapper;
using DvdSim.Contracts;
using DvdSim.Model.Shop;
using DvdSim.TransactionService.Consumers;
using DvdSim.TransactionService.Storage;
using MassTransit;
using MySqlConnector;

namespace DvdSim.TransactionService.Reference;

/// <summary>
/// The benchmark's reference strategy, selected with <c>Dvdsim:Strategy=naive</c> (env
/// <c>Dvdsim__Strategy</c>) and used by nothing else: the week written the way the old tool did
/// it, so that <c>bench</c> can show what the in-memory shop and bulk writes buy. The model and
/// its decisions are the same as <see cref="InventoryReadyConsumer"/>'s; the database work is not:
/// every rental first asks the database which copies are free
/// (<c>inventory_id NOT IN (SELECT inventory_id FROM rental WHERE return_date IS NULL)</c>) and is
/// then inserted on its own, every return is its own UPDATE, every sign-up its own INSERTs — one
/// round trip per row, in one transaction per week. See docs/benchmarks.md.
/// </summary>
public sealed class NaiveRentalDesk(RunDatabases databases, RunSettingsCache runs, RunShops shops,
    ILogger<NaiveRentalDesk> logger) : IConsumer<InventoryReady>
{
    public const string ConfigurationKey = "Dvdsim:Strategy";

    /// <summary>True when the service was started with <c>Dvdsim:Strategy=naive</c>.</summary>
    public static bool IsSelected(IConfiguration configuration) =>
        string.Equals(configuration[ConfigurationKey], "naive", StringComparison.OrdinalIgnoreCase);

    private const string FreeCopies = """
        SELECT i.inventory_id FROM inventory i
        WHERE i.film_id = @filmId AND i.store_id = @storeId
          AND i.inventory_id NOT IN (SELECT r.inventory_id FROM rental r WHERE r.return_date IS NULL)
        ORDER BY i.inventory_id
        """;

    public async Task Consume(ConsumeContext<InventoryReady> context)
    {
        var message = context.Message;
        var ct = context.CancellationToken;
        var watch = Stopwatch.StartNew();
        // Same span name as the real strategy, so the benchmark's stage breakdown compares like with like.
        using var activity = InventoryReadyConsumer.Source.StartActivity("transactions week");
        activity?.SetTag("dvdsim.database", message.Database);
        activity?.SetTag("dvdsim.week", message.Week);
        activity?.SetTag("dvdsim.strategy", "naive");

        var run = await runs.GetAsync(message.Database, ct);
        await using var db = await databases.OpenAsync(message.Database, ct);
        var lastWritten = await WeekWriter.LastWrittenWeekAsync(db, ct);
        if (message.Week <= lastWritten)
        {
            await WeekMessages.ResendAsync(context, db, run.Scenario, watch.Elapsed.TotalMilliseconds);
            return;
        }
        if (message.Week != lastWritten + 1)
            throw new InvalidOperationException($"{message.Database}: week {message.Week} arrived before week {lastWritten + 1}");

        var shop = shops.For(message.Database);
        if (shop.Current is not { } current || current.State.LastWeek != lastWritten)
        {
            current = new Shop(await ShopLoader.LoadAsync(db, run.Scenario, ct), new WeekSimulation(run.Scenario));
            shop.Set(current);
        }
        var (state, simulation) = current;
        foreach (var film in message.Releases)
            state.AddFilm(new FilmTerms(film.FilmId, film.RentalRate, film.RentalDuration, film.ReplacementCost,
                DateOnly.FromDateTime(film.ReleasedAt), simulation.Popularity.IsBoosted(film.FilmId)));
        foreach (var copy in message.Acquired)
            state.AddCopy(copy.InventoryId, copy.FilmId, copy.StoreId, copy.AcquiredAt);

        WeekOutcome outcome;
        int substituted;
        try
        {
            outcome = simulation.Run(state, message.Week);
            substituted = await WriteRowByRowAsync(db, run.Scenario.Seed, state, outcome, ct);
        }
        catch
        {
            shop.Forget(current);
            throw;
        }
        if (substituted > 0)
            logger.LogWarning("{Database}: week {Week}: the database disagreed with the model on {Count} copies; other free copies were rented",
                message.Database, message.Week, substituted);
        activity?.SetTag("dvdsim.rentals", outcome.NewRentals.Count);

        await WeekMessages.SendAsync(context, outcome, watch.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// One statement per row, in the order things happened. Returns how many rentals took another
    /// free copy than the model's because the database said the model's copy was out.
    /// </summary>
    private static async Task<int> WriteRowByRowAsync(MySqlConnection db, long seed, ShopState state, WeekOutcome week, CancellationToken ct)
    {
        await using var tx = await RunDatabases.BeginWriteAsync(db, ct);
        foreach (var signUp in week.SignUps)
        {
            var (customer, address) = SignUpRows.For(seed, signUp);
            await InsertAsync(db, tx, "address", SignUpRows.AddressColumns, address, ct);
            await InsertAsync(db, tx, "customer", SignUpRows.CustomerColumns, customer, ct);
            await InsertAsync(db, tx, "customer_profile", ["customer_id", "segment", "loyal", "activity", "churned_on"],
                [signUp.CustomerId, signUp.Profile.Segment, signUp.Profile.Loyal, signUp.Profile.Activity, null], ct);
        }
        foreach (var churn in week.Churned)
        {
            var on = churn.On.ToDateTime(TimeOnly.MinValue);
            await db.ExecuteAsync(new CommandDefinition("UPDATE customer SET active = 0, last_update = @on WHERE customer_id = @id",
                new { on, id = churn.CustomerId }, tx, cancellationToken: ct));
            await db.ExecuteAsync(new CommandDefinition("UPDATE customer_profile SET churned_on = @on WHERE customer_id = @id",
                new { on, id = churn.CustomerId }, tx, cancellationToken: ct));
        }
        foreach (var back in week.Reactivated)
        {
            await db.ExecuteAsync(new CommandDefinition("UPDATE customer SET active = 1, last_update = @at WHERE customer_id = @id",
                new { at = back.At, id = back.CustomerId }, tx, cancellationToken: ct));
            await db.ExecuteAsync(new CommandDefinition(
                "UPDATE customer_profile SET churned_on = NULL, reactivated_on = @at WHERE customer_id = @id",
                new { at = back.At, id = back.CustomerId }, tx, cancellationToken: ct));
        }

        var rentals = week.NewRentals.ToDictionary(r => r.RentalId);
        var substituted = 0;
        foreach (var e in week.Events)
        {
            switch (e.Kind)
            {
                case RentalEventKind.Rented:
                    var r = rentals[e.RentalId];
                    var inventoryId = await CheckAvailabilityAsync(db, tx, state, r, ct);
                    if (inventoryId != r.InventoryId) substituted++;
                    await InsertAsync(db, tx, "rental",
                        ["rental_id", "rental_date", "inventory_id", "customer_id", "return_date", "staff_id", "last_update"],
                        [r.RentalId, r.RentalDate, inventoryId, r.CustomerId, null, r.StaffId, r.RentalDate], ct);
                    break;
                case RentalEventKind.Returned:
                    await db.ExecuteAsync(new CommandDefinition(
                        "UPDATE rental SET return_date = @at, last_update = @at WHERE rental_id = @id",
                        new { at = e.At, id = e.RentalId }, tx, cancellationToken: ct));
                    break;
            }
        }
        foreach (var lost in week.Lost)
            await InsertAsync(db, tx, "rental_loss", ["rental_id", "inventory_id", "declared_on", "replacement_cost"],
                [lost.RentalId, lost.InventoryId, lost.DeclaredOn, lost.ReplacementCost], ct);
        foreach (var c in week.StatusChanges)
            await InsertAsync(db, tx, "inventory_status_history", ["inventory_id", "changed_at", "status", "reason", "until"],
                [c.InventoryId, c.At, c.Status, c.Reason, c.Until], ct);
        var s = week.Seasonality;
        await InsertAsync(db, tx, "seasonality_log",
            ["week", "week_start", "month", "seasonal", "growth", "shock", "phase", "planned_rentals"],
            [s.Week, s.WeekStart.ToDateTime(TimeOnly.MinValue), s.Month, s.Seasonal, s.Growth, s.Shock, s.Phase, s.PlannedRentals], ct);
        await InsertAsync(db, tx, "dvdsim_stage", ["week", "stage", "batch"], [week.Week, "transactions", 0], ct);
        await tx.CommitAsync(ct);
        return substituted;
    }

    /// <summary>
    /// The old tool's availability check: which copies of the film in this store have no open
    /// rental? The model's copy when the database agrees (it always should), else the first free
    /// copy the model also considers rentable; never a copy that is out.
    /// </summary>
    private static async Task<int> CheckAvailabilityAsync(MySqlConnection db, MySqlTransaction tx, ShopState state,
        RentalRecord rental, CancellationToken ct)
    {
        var storeId = state.Copies[rental.InventoryId].StoreId;
        var free = (await db.QueryAsync<int>(new CommandDefinition(FreeCopies, new { filmId = rental.FilmId, storeId }, tx,
            cancellationToken: ct))).ToList();
        if (free.Contains(rental.InventoryId)) return rental.InventoryId;
        foreach (var id in free)
            if (state.Copies.TryGetValue(id, out var copy) && !copy.Lost && copy.RentableAt(rental.RentalDate)) return id;
        throw new InvalidOperationException(
            $"rental {rental.RentalId}: no free copy of film {rental.FilmId} in store {storeId} according to the database");
    }

    private static Task InsertAsync(MySqlConnection db, MySqlTransaction tx, string table, IReadOnlyList<string> columns,
        object?[] values, CancellationToken ct)
    {
        var parameters = new DynamicParameters();
        for (var i = 0; i < values.Length; i++) parameters.Add("p" + i, values[i]);
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        return db.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
    }
}

public sealed class NaiveRentalDeskDefinition : ConsumerDefinition<NaiveRentalDesk>
{
    public NaiveRentalDeskDefinition()
    {
        EndpointName = "transactions";
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<NaiveRentalDesk> consumer, IRegistrationContext context) =>
        endpoint.UseMessageRetry(r => r.Intervals(200, 1000, 5000, 10000));
}
