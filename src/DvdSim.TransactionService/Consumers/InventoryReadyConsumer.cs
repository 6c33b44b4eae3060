using System.Diagnostics;
using System.Diagnostics.Metrics;
using Dapper;
using DvdSim.Contracts;
using DvdSim.Model.Shop;
using DvdSim.TransactionService.Storage;
using MassTransit;

namespace DvdSim.TransactionService.Consumers;

/// <summary>
/// The heart of each week: once the week's stock is in, simulate the shop's week from the
/// in-memory state, write it in one transaction, then hand the billable events to the
/// Payment service in batches of at most 1,000 and tell the coordinator the week is closed.
/// </summary>
public sealed class InventoryReadyConsumer(RunDatabases databases, RunSettingsCache runs, RunShops shops,
    ILogger<InventoryReadyConsumer> logger) : IConsumer<InventoryReady>
{
    public const int EventsPerBatch = 1000;
    public static readonly ActivitySource Source = new("DvdSim.TransactionService");
    private static readonly Meter Meter = new("DvdSim.TransactionService");
    private static readonly Counter<long> Rentals = Meter.CreateCounter<long>("dvdsim.rentals");

    public async Task Consume(ConsumeContext<InventoryReady> context)
    {
        var message = context.Message;
        var ct = context.CancellationToken;
        var watch = Stopwatch.StartNew();
        using var activity = Source.StartActivity("transactions week");
        activity?.SetTag("dvdsim.database", message.Database);
        activity?.SetTag("dvdsim.week", message.Week);

        var run = await runs.GetAsync(message.Database, ct);
        await using var db = await databases.OpenAsync(message.Database, ct);

        var lastWritten = await db.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT MAX(week) FROM dvdsim_stage WHERE stage = 'transactions'", cancellationToken: ct)) ?? 0;
        if (message.Week <= lastWritten)
        {
            await RepublishAsync(context, run.Scenario, watch);
            return;
        }
        if (message.Week != lastWritten + 1)
            throw new InvalidOperationException($"{message.Database}: week {message.Week} arrived before week {lastWritten + 1}");

        if (!shops.TryGet(message.Database, out var state, out var simulation) || state.LastWeek != lastWritten)
        {
            // First week seen here, a restart, or another replica moved on: rebuild from the database.
            simulation = new WeekSimulation(run.Scenario);
            state = await ShopLoader.LoadAsync(db, run.Scenario, ct);
            shops.Set(message.Database, state, simulation);
            logger.LogInformation("{Database}: shop state rebuilt at week {Week} ({Copies} copies, {Open} open rentals)",
                message.Database, state.LastWeek, state.Copies.Count, state.OpenRentals.Count);
        }

        foreach (var film in message.Releases)
            state.AddFilm(new FilmTerms(film.FilmId, film.RentalRate, film.RentalDuration, film.ReplacementCost,
                DateOnly.FromDateTime(film.ReleasedAt), simulation.Popularity.IsBoosted(film.FilmId)));
        foreach (var copy in message.Acquired)
            state.AddCopy(copy.InventoryId, copy.FilmId, copy.StoreId, copy.AcquiredAt);

        WeekOutcome outcome;
        try
        {
            outcome = simulation.Run(state, message.Week);
            await WeekWriter.WriteAsync(db, run.Scenario.Seed, outcome, ct);
        }
        catch
        {
            shops.Forget(message.Database); // the in-memory state may be ahead of the database now
            throw;
        }
        Rentals.Add(outcome.NewRentals.Count);
        activity?.SetTag("dvdsim.rentals", outcome.NewRentals.Count);

        var batches = await PublishBatchesAsync(context, outcome.Events);
        await context.Publish(new RentalsClosed(message.Database, message.Week, batches, outcome.NewRentals.Count,
            outcome.Returns, outcome.Lost.Count, outcome.SignUps.Count, outcome.ActiveCustomers, outcome.CheckedOut,
            watch.Elapsed.TotalMilliseconds), ct);
    }

    private async Task RepublishAsync(ConsumeContext<InventoryReady> context, Contracts.Scenario scenario, Stopwatch watch)
    {
        var message = context.Message;
        var clock = Model.WeekClock.For(scenario);
        await using var db = await databases.OpenAsync(message.Database, context.CancellationToken);
        var (from, to) = (clock.WeekStart(message.Week).ToDateTime(TimeOnly.MinValue), clock.WeekEnd(message.Week));
        var events = await WeekEventsReader.ReadAsync(db, scenario, from, to, context.CancellationToken);
        var closing = await WeekEventsReader.ReadClosingAsync(db, from, to, context.CancellationToken);
        logger.LogWarning("{Database}: week {Week} was already written; re-sending its {Events} billable events",
            message.Database, message.Week, events.Count);
        var batches = await PublishBatchesAsync(context, events);
        var rentals = events.Count(e => e.Kind == RentalEventKind.Rented);
        await context.Publish(new RentalsClosed(message.Database, message.Week, batches, rentals,
            events.Count(e => e.Kind == RentalEventKind.Returned), events.Count(e => e.Kind == RentalEventKind.Lost),
            closing.NewCustomers, closing.ActiveCustomers, closing.CheckedOut, watch.Elapsed.TotalMilliseconds), context.CancellationToken);
    }

    private static async Task<int> PublishBatchesAsync(ConsumeContext<InventoryReady> context, IReadOnlyList<RentalEvent> events)
    {
        var chunks = events.Chunk(EventsPerBatch).ToList();
        var messages = chunks.Select((chunk, i) =>
            new RentalBatch(context.Message.Database, context.Message.Week, i + 1, chunks.Count, chunk)).ToList();
        await context.PublishBatch(messages, context.CancellationToken);
        return chunks.Count;
    }
}

public sealed class InventoryReadyConsumerDefinition : ConsumerDefinition<InventoryReadyConsumer>
{
    public InventoryReadyConsumerDefinition()
    {
        EndpointName = "transactions";
        // Weeks of a run build on each other: one at a time.
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<InventoryReadyConsumer> consumer, IRegistrationContext context)
    {
        endpoint.UseMessageRetry(r => r.Intervals(200, 1000, 5000, 10000));
    }
}
