using System.Diagnostics;
using System.Diagnostics.Metrics;
using DvdSim.Contracts;
using DvdSim.Model.Shop;
using DvdSim.TransactionService.Storage;
using MassTransit;
using MySqlConnector;

namespace DvdSim.TransactionService.Consumers;

/// <summary>
/// The heart of each week: once the week's stock is in, simulate the shop's week from the
/// in-memory state, write it in one transaction, then hand the billable events to the
/// Payment service in batches of at most 1,000 and tell the coordinator the week is closed.
/// Two weeks are in hand at a time: week w+1 is simulated while week w is written, and written
/// once week w has committed (<see cref="RunShop"/>), so a week costs about its write, not its
/// write plus its simulation plus its messages.
/// </summary>
public sealed class InventoryReadyConsumer(RunDatabases databases, RunSettingsCache runs, RunShops shops,
    ILogger<InventoryReadyConsumer> logger) : IConsumer<InventoryReady>
{
    /// <summary>How long a week that came early waits for the week before it to be simulated here.</summary>
    public static readonly TimeSpan EarlyArrivalWait = TimeSpan.FromSeconds(10);
    public static readonly ActivitySource Source = new("DvdSim.TransactionService");
    private static readonly Meter Meter = new("DvdSim.TransactionService");
    private static readonly Counter<long> Rentals = Meter.CreateCounter<long>("dvdsim.rentals");

    /// <summary>A week simulated and not yet written: its batch goes in once <paramref name="Previous"/> has committed.</summary>
    private sealed record SimulatedWeek(RunShop Owner, Shop Shop, WeekOutcome Outcome, SqlBatch Batch, Task Previous,
        TaskCompletionSource Written)
    {
        /// <summary>The week will not be written from this state: weeks simulated on top of it fail too, and the state is rebuilt.</summary>
        public void Abandon(Exception reason)
        {
            Written.TrySetException(reason);
            Owner.Forget(Shop);
        }
    }

    public async Task Consume(ConsumeContext<InventoryReady> context)
    {
        var message = context.Message;
        var ct = context.CancellationToken;
        var watch = Stopwatch.StartNew();
        using var activity = Source.StartActivity("transactions week");
        activity?.SetTag("dvdsim.database", message.Database);
        activity?.SetTag("dvdsim.week", message.Week);

        var run = await runs.GetAsync(message.Database, ct);
        var week = await SimulateInTurnAsync(shops.For(message.Database), message, run.Scenario, ct);
        if (week is null)
        {
            await ResendAsync(context, run.Scenario, watch);
            return;
        }

        var waited = Stopwatch.StartNew();
        try
        {
            await week.Previous;
        }
        catch (Exception e)
        {
            week.Abandon(e);
            throw new InvalidOperationException(
                $"{message.Database}: week {message.Week - 1} was not written, so week {message.Week} is simulated again", e);
        }
        waited.Stop();
        activity?.SetTag("dvdsim.waited_ms", Math.Round(waited.Elapsed.TotalMilliseconds, 1));

        try
        {
            await using var db = await databases.OpenAsync(message.Database, ct);
            await week.Batch.CommitAsync(db, ct);
            week.Written.TrySetResult();
        }
        catch (MySqlException e) when (WeekWriter.IsWrittenBefore(e))
        {
            // Another delivery of this message committed the week: the database has it, send it from there.
            week.Abandon(e);
            await ResendAsync(context, run.Scenario, watch);
            return;
        }
        catch (Exception e)
        {
            week.Abandon(e); // the in-memory state is ahead of the database now
            throw;
        }

        Rentals.Add(week.Outcome.NewRentals.Count);
        activity?.SetTag("dvdsim.rentals", week.Outcome.NewRentals.Count);
        await WeekMessages.SendAsync(context, week.Outcome, (watch.Elapsed - waited.Elapsed).TotalMilliseconds);
    }

    /// <summary>
    /// Simulates the message's week on the run's shop, in week order; null when the database
    /// already has the week. The state is (re)built from the database when there is none — the
    /// first week seen here, a restart, a failed write — and when a week comes again.
    /// </summary>
    private async Task<SimulatedWeek?> SimulateInTurnAsync(RunShop shop, InventoryReady message, Contracts.Scenario scenario,
        CancellationToken ct)
    {
        var since = Stopwatch.StartNew();
        while (true)
        {
            Task waitFor;
            await shop.Turn.WaitAsync(ct);
            try
            {
                var current = shop.Current;
                if (current is not null && current.State.LastWeek == message.Week - 1)
                    return Simulate(shop, current, message, scenario.Seed);
                if (current is not null && current.State.LastWeek < message.Week - 1)
                    waitFor = shop.Advanced; // the week before is still to come
                else if (!shop.LastWrite.IsCompleted)
                    waitFor = shop.LastWrite; // ask the database once what is on its way there has landed
                else
                {
                    await using var db = await databases.OpenAsync(message.Database, ct);
                    var lastWritten = await WeekWriter.LastWrittenWeekAsync(db, ct);
                    if (message.Week <= lastWritten) return null;
                    if (message.Week != lastWritten + 1)
                        throw new InvalidOperationException($"{message.Database}: week {message.Week} arrived before week {lastWritten + 1}");
                    current = new Shop(await ShopLoader.LoadAsync(db, scenario, ct), new WeekSimulation(scenario));
                    shop.Set(current);
                    logger.LogInformation("{Database}: shop state rebuilt at week {Week} ({Copies} copies, {Open} open rentals)",
                        message.Database, current.State.LastWeek, current.State.Copies.Count, current.State.OpenRentals.Count);
                    return Simulate(shop, current, message, scenario.Seed);
                }
            }
            finally
            {
                shop.Turn.Release();
            }

            var left = EarlyArrivalWait - since.Elapsed;
            if (left <= TimeSpan.Zero)
                throw new InvalidOperationException(
                    $"{message.Database}: week {message.Week} arrived before week {message.Week - 1} was simulated here");
            try { await waitFor.WaitAsync(left, ct); }
            catch (Exception) when (!ct.IsCancellationRequested) { } // a timeout or a failed write: look again
        }
    }

    /// <summary>Runs the week on the state (under the shop's turn) and hands its write on after the previous week's.</summary>
    private static SimulatedWeek Simulate(RunShop shop, Shop current, InventoryReady message, long seed)
    {
        var (state, simulation) = current;
        try
        {
            foreach (var film in message.Releases)
                state.AddFilm(new FilmTerms(film.FilmId, film.RentalRate, film.RentalDuration, film.ReplacementCost,
                    DateOnly.FromDateTime(film.ReleasedAt), simulation.Popularity.IsBoosted(film.FilmId)));
            foreach (var copy in message.Acquired)
                state.AddCopy(copy.InventoryId, copy.FilmId, copy.StoreId, copy.AcquiredAt);
            var outcome = simulation.Run(state, message.Week);
            var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var previous = shop.HandOnWrite(written.Task);
            return new SimulatedWeek(shop, current, outcome, WeekWriter.Batch(seed, outcome), previous, written);
        }
        catch
        {
            shop.Forget(current); // half a week may be applied to it
            throw;
        }
    }

    private async Task ResendAsync(ConsumeContext<InventoryReady> context, Contracts.Scenario scenario, Stopwatch watch)
    {
        await using var db = await databases.OpenAsync(context.Message.Database, context.CancellationToken);
        var events = await WeekMessages.ResendAsync(context, db, scenario, watch.Elapsed.TotalMilliseconds);
        logger.LogWarning("{Database}: week {Week} was already written; re-sent its {Events} billable events",
            context.Message.Database, context.Message.Week, events);
    }
}

public sealed class InventoryReadyConsumerDefinition : ConsumerDefinition<InventoryReadyConsumer>
{
    public InventoryReadyConsumerDefinition()
    {
        EndpointName = "transactions";
        // Weeks of a run build on each other: two in hand, the later one simulated while the
        // earlier one is written (RunShop keeps them in order).
        ConcurrentMessageLimit = 2;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<InventoryReadyConsumer> consumer, IRegistrationContext context)
    {
        endpoint.UseMessageRetry(r => r.Intervals(200, 1000, 5000, 10000));
    }
}
