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

        var done = await db.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM dvdsim_stage WHERE week = @week AND stage = 'inventory'", new { week }, cancellationToken: ct));
        if (done > 0)
        {
            logger.LogWarning("{Database}: inventory of week {Week} already written; re-sending it", database, week);
            var (storedReleases, storedCopies) = await StockReader.ReadWeekAsync(db, week, ct);
            await context.Publish(new InventoryReady(database, week, storedReleases, storedCopies, watch.Elapsed.TotalMilliseconds), ct);
            return;
        }

        var plan = new StockPlan(run.Scenario);
        var popularity = new FilmPopularity(run.Scenario);
        var releases = new List<FilmReleased>();
        var acquired = new List<CopyAcquired>();

        await using (var tx = await db.BeginTransactionAsync(ct))
        {
            var stores = (await db.QueryAsync<int>(new CommandDefinition(
                "SELECT store_id FROM store ORDER BY store_id", transaction: tx, cancellationToken: ct))).ToList();
            var copies = new List<(PlannedCopy Copy, int PurchaseWeek)>();

            if (week == 1)
            {
                var films = await db.QueryAsync<int>(new CommandDefinition(
                    "SELECT film_id FROM film ORDER BY film_id", transaction: tx, cancellationToken: ct));
                copies.AddRange(plan.OpeningStock(films, stores).Select(c => (c, 0)));
            }

            var nextFilmId = (await db.ExecuteScalarAsync<int?>(new CommandDefinition(
                "SELECT MAX(film_id) FROM film", transaction: tx, cancellationToken: ct)) ?? 0) + 1;
            var planned = plan.Releases(week, nextFilmId);
            var drafts = ReleaseWriter.Drafts(run.Scenario, planned);
            await ReleaseWriter.WriteAsync(db, tx, week, planned, drafts, ct);
            foreach (var (release, film) in planned.Zip(drafts.Select(d => d.Film)))
            {
                releases.Add(new FilmReleased(film.FilmId, release.CategoryId, film.RentalRate, film.RentalDuration,
                    film.ReplacementCost, release.ReleasedOn.ToDateTime(TimeOnly.MinValue)));
                copies.AddRange(plan.ReleaseCopies(release, stores).Select(c => (c, week)));
            }

            if (plan.OrdersDue(week).Count > 0)
            {
                var known = await db.QueryAsync<(int FilmId, DateTime? ReleasedOn)>(new CommandDefinition(
                    "SELECT f.film_id, r.released_on FROM film f LEFT JOIN film_release r ON r.film_id = f.film_id",
                    transaction: tx, cancellationToken: ct));
                var stocked = known.Select(f => new StockedFilm(f.FilmId,
                    f.ReleasedOn is { } d ? DateOnly.FromDateTime(d) : DateOnly.MinValue, popularity.IsBoosted(f.FilmId))).ToList();
                copies.AddRange(plan.Restock(week, stocked, stores).Select(c => (c, week)));
            }

            if (copies.Count > 0)
            {
                var costs = (await db.QueryAsync<(int FilmId, decimal Cost)>(new CommandDefinition(
                        "SELECT film_id, replacement_cost FROM film WHERE film_id IN @ids",
                        new { ids = copies.Select(c => c.Copy.FilmId).Distinct().ToArray() }, tx, cancellationToken: ct)))
                    .ToDictionary(f => f.FilmId, f => f.Cost);
                var nextInventoryId = (await db.ExecuteScalarAsync<int?>(new CommandDefinition(
                    "SELECT MAX(inventory_id) FROM inventory", transaction: tx, cancellationToken: ct)) ?? 0) + 1;
                var rows = copies.Select((c, i) => (Id: nextInventoryId + i, c.Copy, c.PurchaseWeek)).ToList();
                await TableWriter.LoadAsync(db, tx, "inventory", ["inventory_id", "film_id", "store_id", "last_update"],
                    rows.Select(r => new object?[] { r.Id, r.Copy.FilmId, r.Copy.StoreId, r.Copy.AcquiredAt }), ct);
                await TableWriter.LoadAsync(db, tx, "inventory_purchase", ["inventory_id", "week", "purchased_on", "reason", "unit_cost"],
                    rows.Select(r => new object?[] { r.Id, r.PurchaseWeek, DateOnly.FromDateTime(r.Copy.AcquiredAt), r.Copy.Reason, costs[r.Copy.FilmId] }), ct);
                acquired.AddRange(rows.Select(r => new CopyAcquired(r.Id, r.Copy.FilmId, r.Copy.StoreId, r.Copy.AcquiredAt)));
            }

            await TableWriter.LoadAsync(db, tx, "dvdsim_stage", ["week", "stage", "batch"], [[week, "inventory", 0]], ct);
            await tx.CommitAsync(ct);
        }

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
        // Ids continue from the previous week's: one week at a time.
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<WeekStartedConsumer> consumer, IRegistrationContext context)
    {
        endpoint.UseMessageRetry(r => r.Intervals(200, 1000, 5000, 10000));
    }
}
