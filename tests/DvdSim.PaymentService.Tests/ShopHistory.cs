using Dapper;
using DvdSim.Contracts;
using DvdSim.Model;
using DvdSim.Model.Billing;
using MySqlConnector;

namespace DvdSim.PaymentService.Tests;

public sealed record RentalTerms(int FilmId, decimal RentalRate, int RentalDuration, decimal ReplacementCost);

/// <summary>A rental of the history: when it went out and how it ended, and the late fee's settlement when it was late.</summary>
public sealed record HistoryRental(long RentalId, int CustomerId, int StaffId, int InventoryId, RentalTerms Film, DateTime RentedAt,
    DateTime? ReturnedAt, int DaysLate, DateTime? LostAt, FeePlan? Plan, bool FeePaidSent, bool WriteOffSent);

/// <summary>
/// The transaction service's part, played by hand: a few rentals written straight into a prepared
/// run database (copies, rentals, losses) and the billable events they make, as RentalBatch
/// messages. Late rentals get ids whose fee plan (keyed by the rental id) settles the way a test
/// asks for; amounts are then checked against plain arithmetic, not against the plan.
/// </summary>
public sealed class ShopHistory(Scenario scenario, IReadOnlyList<RentalTerms> films, int staffId)
{
    private readonly WeekClock _clock = WeekClock.For(scenario);
    private readonly List<HistoryRental> _rentals = [];
    private long _nextRentalId = 1;
    private int _nextInventoryId = 1;

    public IReadOnlyList<HistoryRental> Rentals => _rentals;

    public static async Task<IReadOnlyList<RentalTerms>> FilmsAsync(MySqlConnection db) =>
        (await db.QueryAsync<(int, decimal, int, decimal)>(
            "SELECT film_id, rental_rate, rental_duration, replacement_cost FROM film ORDER BY film_id"))
        .Select(f => new RentalTerms(f.Item1, f.Item2, f.Item3, f.Item4)).ToList();

    /// <summary>
    /// A rental on day <paramref name="day"/> after the opening, back <paramref name="daysLate"/> days
    /// late (0: on time), or lost. A late one's fee settles as <paramref name="settlement"/>; the
    /// LateFeePaid / LateFeeWrittenOff events are part of the history unless left out.
    /// </summary>
    public HistoryRental Rent(int customerId, int day, int daysLate = 0, FeeSettlement settlement = FeeSettlement.PaidOnReturn,
        bool lost = false, bool sendFeePaid = true, bool sendWriteOff = true)
    {
        var film = films[(_rentals.Count * 7) % films.Count];
        var rentedAt = _clock.OpeningDate.AddDays(day).ToDateTime(new TimeOnly(11, 0)).AddMinutes(_rentals.Count);
        DateTime? returnedAt = lost ? null
            : daysLate == 0 ? rentedAt.AddDays(1).AddHours(2)
            : rentedAt.Date.AddDays(film.RentalDuration + daysLate).AddHours(15).AddMinutes(30);
        DateTime? lostAt = lost ? rentedAt.Date.AddDays(film.RentalDuration + scenario.Returns.LostAfterDaysOverdue).AddHours(22) : null;

        var policy = LateFeePolicy.For(scenario);
        var id = _nextRentalId;
        FeePlan? plan = null;
        if (daysLate > 0)
        {
            // The next rental id whose fee plan settles as asked.
            while ((plan = policy.PlanFor(id, rentedAt, returnedAt!.Value, film.RentalDuration))!.Settlement != settlement) id++;
        }
        _nextRentalId = id + 1;
        var rental = new HistoryRental(id, customerId, staffId, _nextInventoryId++, film, rentedAt, returnedAt, daysLate, lostAt, plan,
            sendFeePaid, sendWriteOff);
        _rentals.Add(rental);
        return rental;
    }

    public IEnumerable<RentalEvent> Events()
    {
        foreach (var r in _rentals)
        {
            RentalEvent Event(RentalEventKind kind, DateTime at, DateTime? returnedAt = null) =>
                new(r.RentalId, r.CustomerId, r.StaffId, kind, at, r.RentedAt, r.Film.RentalRate, r.Film.RentalDuration,
                    r.Film.ReplacementCost, returnedAt);
            yield return Event(RentalEventKind.Rented, r.RentedAt);
            if (r.ReturnedAt is { } back) yield return Event(RentalEventKind.Returned, back);
            if (r.LostAt is { } lost) yield return Event(RentalEventKind.Lost, lost);
            if (r.Plan is { Settlement: not FeeSettlement.PaidOnReturn } plan)
            {
                if (plan.PaidAt is { } paid && r.FeePaidSent) yield return Event(RentalEventKind.LateFeePaid, paid, r.ReturnedAt);
                if (plan.WrittenOffAt is { } off && r.WriteOffSent) yield return Event(RentalEventKind.LateFeeWrittenOff, off, r.ReturnedAt);
            }
        }
    }

    /// <summary>The events as the transaction service would send them: by week, in time order, <paramref name="perMessage"/> at most per message.</summary>
    public IReadOnlyList<RentalBatch> Messages(string database, int perMessage = 3) =>
        Events().GroupBy(e => _clock.WeekOf(e.At)).OrderBy(g => g.Key).SelectMany(week =>
        {
            var chunks = week.OrderBy(e => e.At).Chunk(perMessage).ToList();
            return chunks.Select((chunk, i) => new RentalBatch(database, week.Key, i + 1, chunks.Count, chunk));
        }).ToList();

    /// <summary>Writes the copies, rentals and losses (the rows billing refers to) into the run database.</summary>
    public async Task WriteAsync(MySqlConnection db, int storeId)
    {
        foreach (var r in _rentals)
        {
            await db.ExecuteAsync("INSERT INTO inventory (inventory_id, film_id, store_id, last_update) VALUES (@InventoryId, @FilmId, @storeId, @at)",
                new { r.InventoryId, r.Film.FilmId, storeId, at = _clock.OpeningDate.AddDays(-1).ToDateTime(new TimeOnly(9, 0)) });
            await db.ExecuteAsync("""
                INSERT INTO rental (rental_id, rental_date, inventory_id, customer_id, return_date, staff_id, last_update)
                VALUES (@RentalId, @RentedAt, @InventoryId, @CustomerId, @ReturnedAt, @StaffId, COALESCE(@ReturnedAt, @RentedAt))
                """, r);
            if (r.LostAt is { } lost)
                await db.ExecuteAsync("INSERT INTO rental_loss (rental_id, inventory_id, declared_on, replacement_cost) VALUES (@RentalId, @InventoryId, @lost, @cost)",
                    new { r.RentalId, r.InventoryId, lost, cost = r.Film.ReplacementCost });
        }
    }
}
