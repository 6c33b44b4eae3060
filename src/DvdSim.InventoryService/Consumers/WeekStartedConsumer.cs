using System.Diagnostics;
using Dapper;
using DvdSim.Contracts;
using DvdSim.InventoryService.Storage;
using DvdSim.Model.Popularity;
using DvdSim.Model.Stock;
using MassTransit;

namespace DvdSim.InventoryService.Consumers;

/// <summary>
/// First stage of every week: buy the opening stock (week 1), release the week's new films and
/// restock per the purchase schedule and rules — checked every week — then tell the
/// Transaction service what is new on the shelves.
/// </summary>
public sealed class WeekStartedConsumer(RunDatabases databases, RunSettingsCache runs, ILogger<WeekStartedConsumer> logger)
    : IConsumer<WeekStarted>
{
    public static readonly ActivitySource Source = new("DvdSim.InventoryService");

    public async Task Consume(ConsumeContext<WeekStarted> context)
    {
        var (database, week) = (context.Message.Database, context.Message.Week);
        var ct = context.CancellationToken;
        var watch = Stopwatch.StartNew();
        using var activity = Source.StartActivity("inventory week");
        activity?.SetTag("dvdsim.database", database);
        activity?.SetTag("dvdsim.week", week);

        var run = await runs.GetAsync(database, ct);
        await using var db = await databases.OpenAsync(database, ct);

        var plan = new StockPlan(run.Scenario);
        // Everything the week needs to know, in one round trip.
        int done, previousDone, maxFilmId, maxInventoryId;
        List<int> stores;
        using (var reads = await db.QueryMultipleAsync(new CommandDefinition("""
                   SELECT COUNT(*) FROM dvdsim_stage WHERE week = @week AND stage = 'inventory';
                   SELECT COUNT(*) FROM dvdsim_stage WHERE week = @week - 1 AND stage = 'inventory';
                   SELECT store_id FROM store ORDER BY store_id;
                   SELECT COALESCE(MAX(film_id), 0) FROM film;
                   SELECT COALESCE(MAX(inventory_id), 0) FROM inventory;
                   """, new { week }, cancellationToken: ct)))
        {
            done = await reads.ReadSingleAsync<int>();
            previousDone = await reads.ReadSingleAsync<int>();
            stores = (await reads.ReadAsync<int>()).ToList();
            maxFilmId = await reads.ReadSingleAsync<int>();
            maxInventoryId = await reads.ReadSingleAsync<int>();
        }
        // The coordinator starts weeks ahead; ids continue from the previous week's, so weeks go in order.
        if (done == 0 && week > 1 && previousDone == 0)
            throw new InvalidOperationException($"{database}: week {week} arrived before the stock of week {week - 1}");
        if (done > 0)
        {
            logger.LogWarning("{Database}: inventory of week {Week} already written; re-sending it", database, week);
            var (storedReleases, storedCopies) = await StockReader.ReadWeekAsync(db, plan, week, ct);
            await context.Publish(new InventoryReady(database, week, storedReleases, storedCopies, watch.Elapsed.TotalMilliseconds), ct);
            return;
        }

        var popularity = new FilmPopularity(run.Scenario);
        var releases = new List<FilmReleased>();
        var acquired = new List<CopyAcquired>();
        var copies = new List<(PlannedCopy Copy, int PurchaseWeek)>();
        var batch = new SqlBatch();

        // The catalogue is read only when it is needed: the opening stock and restock weeks.
        var catalogue = new Dictionary<int, (DateOnly ReleasedOn, decimal Cost)>();
        var ordersDue = plan.OrdersDue(week).Count > 0;
        if (week == 1 || ordersDue)
            foreach (var f in await db.QueryAsync<(int FilmId, DateTime? ReleasedOn, decimal Cost)>(new CommandDefinition(
                         "SELECT f.film_id, r.released_on, f.replacement_cost FROM film f LEFT JOIN film_release r ON r.film_id = f.film_id",
                         cancellationToken: ct)))
                catalogue[f.FilmId] = (f.ReleasedOn is { } d ? DateOnly.FromDateTime(d) : DateOnly.MinValue, f.Cost);

        if (week == 1)
            copies.AddRange(plan.OpeningStock(catalogue.Keys, stores).Select(c => (c, 0)));

        var planned = plan.Releases(week, maxFilmId + 1);
        var drafts = ReleaseWriter.Drafts(run.Scenario, planned);
        ReleaseWriter.Add(batch, week, planned, drafts);
        foreach (var (release, film) in planned.Zip(drafts.Select(d => d.Film)))
        {
            releases.Add(new FilmReleased(film.FilmId, release.CategoryId, film.RentalRate, film.RentalDuration,
                film.ReplacementCost, release.ReleasedOn.ToDateTime(TimeOnly.MinValue)));
            catalogue[film.FilmId] = (release.ReleasedOn, film.ReplacementCost);
            copies.AddRange(plan.ReleaseCopies(release, stores).Select(c => (c, week)));
        }

        if (ordersDue)
        {
            var stocked = catalogue.Select(f => new StockedFilm(f.Key, f.Value.ReleasedOn, popularity.IsBoosted(f.Key))).ToList();
            copies.AddRange(plan.Restock(week, stocked, stores).Select(c => (c, week)));
        }

        var rows = copies.Select((c, i) => (Id: maxInventoryId + 1 + i, c.Copy, c.PurchaseWeek)).ToList();
        batch.Insert("inventory", ["inventory_id", "film_id", "store_id", "last_update"],
            rows.Select(r => new object?[] { r.Id, r.Copy.FilmId, r.Copy.StoreId, r.Copy.AcquiredAt }));
        batch.Insert("inventory_purchase", ["inventory_id", "week", "purchased_on", "reason", "unit_cost"],
            rows.Select(r => new object?[] { r.Id, r.PurchaseWeek, DateOnly.FromDateTime(r.Copy.AcquiredAt), r.Copy.Reason, catalogue[r.Copy.FilmId].Cost }));
        batch.Insert("inventory_status_history", ["inventory_id", "changed_at", "status", "reason", "until"],
            rows.Select(r => new object?[] { r.Id, r.Copy.AcquiredAt, "available", "purchased: " + r.Copy.Reason, null }));
        batch.Insert("dvdsim_stage", ["week", "stage", "batch"], [[week, "inventory", 0]]);
        acquired.AddRange(rows.Select(r => new CopyAcquired(r.Id, r.Copy.FilmId, r.Copy.StoreId, r.Copy.AcquiredAt)));

        await batch.CommitAsync(db, ct);

        activity?.SetTag("dvdsim.copies_acquired", acquired.Count);
        activity?.SetTag("dvdsim.films_released", releases.Count);
        await context.Publish(new InventoryReady(database, week, releases, acquired, watch.Elapsed.TotalMilliseconds), ct);
    }
}

public sealed class WeekStartedConsumerDefinition : ConsumerDefinition<WeekStartedConsumer>
{
    public WeekStartedConsumerDefinition()
    {
        EndpointName = "inventory";
        // Ids continue from the previous week's: one week at a time, in order.
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<WeekStartedConsumer> consumer, IRegistrationContext context)
    {
        endpoint.UseMessageRetry(r => r.Intervals(200, 1000, 5000, 10000));
    }
}
