using DvdSim.Contracts;
using DvdSim.Model.Shop;
using DvdSim.TransactionService.Storage;
using MassTransit;
using MySqlConnector;

namespace DvdSim.TransactionService.Consumers;

/// <summary>
/// What the Transaction service sends for a written week, whichever strategy wrote it: the week's
/// billable events in <see cref="RentalBatch"/> messages of at most <see cref="EventsPerBatch"/>,
/// and <see cref="RentalsClosed"/> with the number of batches (published together).
/// </summary>
public static class WeekMessages
{
    public const int EventsPerBatch = 1000;

    /// <summary>A week just written, from its outcome.</summary>
    public static Task SendAsync(ConsumeContext<InventoryReady> context, WeekOutcome outcome, double stageMilliseconds) =>
        SendAsync(context, outcome.Events, batches => new RentalsClosed(context.Message.Database, context.Message.Week, batches,
            outcome.NewRentals.Count, outcome.Returns, outcome.Lost.Count, outcome.SignUps.Count, outcome.ActiveCustomers,
            outcome.CheckedOut, stageMilliseconds, context.Message.StageMilliseconds));

    /// <summary>
    /// A week the database already has (a redelivery after its commit), read back from its rows;
    /// returns how many billable events were sent again.
    /// </summary>
    public static async Task<int> ResendAsync(ConsumeContext<InventoryReady> context, MySqlConnection db, Scenario scenario,
        double stageMilliseconds)
    {
        var (database, week) = (context.Message.Database, context.Message.Week);
        var clock = Model.WeekClock.For(scenario);
        var (from, to) = (clock.WeekStart(week).ToDateTime(TimeOnly.MinValue), clock.WeekEnd(week));
        var events = await WeekEventsReader.ReadAsync(db, scenario, from, to, context.CancellationToken);
        var closing = await WeekEventsReader.ReadClosingAsync(db, from, to, context.CancellationToken);
        await SendAsync(context, events, batches => new RentalsClosed(database, week, batches,
            events.Count(e => e.Kind == RentalEventKind.Rented), events.Count(e => e.Kind == RentalEventKind.Returned),
            events.Count(e => e.Kind == RentalEventKind.Lost), closing.NewCustomers, closing.ActiveCustomers, closing.CheckedOut,
            stageMilliseconds, context.Message.StageMilliseconds));
        return events.Count;
    }

    private static Task SendAsync(ConsumeContext<InventoryReady> context, IReadOnlyList<RentalEvent> events, Func<int, RentalsClosed> closed)
    {
        var chunks = events.Chunk(EventsPerBatch).ToList();
        var batches = chunks.Select((chunk, i) =>
            new RentalBatch(context.Message.Database, context.Message.Week, i + 1, chunks.Count, chunk)).ToList();
        return Task.WhenAll(context.PublishBatch(batches, context.CancellationToken),
            context.Publish(closed(batches.Count), context.CancellationToken));
    }
}
