using Dapper;
using DvdSim.Contracts;
using DvdSim.Model;
using DvdSim.Model.Popularity;
using DvdSim.Model.Shop;
using MySqlConnector;

namespace DvdSim.TransactionService.Storage;

/// <summary>
/// Rebuilds the shop's working state from the run's database, as it stands after the last
/// week whose transactions were written. Runs on start, after a crash, or when another replica
/// moved the run on; one query per kind of thing, none per row.
/// </summary>
public static class ShopLoader
{
    public static async Task<ShopState> LoadAsync(MySqlConnection db, Scenario scenario, CancellationToken ct)
    {
        var state = new ShopState();
        var popularity = new FilmPopularity(scenario);
        var clock = WeekClock.For(scenario);

        state.LastWeek = await db.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT MAX(week) FROM dvdsim_stage WHERE stage = 'transactions'", cancellationToken: ct)) ?? 0;

        foreach (var f in await db.QueryAsync<(int FilmId, decimal Rate, int Duration, decimal Replacement, DateTime? ReleasedOn)>(
                     new CommandDefinition("""
                         SELECT f.film_id, f.rental_rate, f.rental_duration, f.replacement_cost, r.released_on
                         FROM film f LEFT JOIN film_release r ON r.film_id = f.film_id
                         WHERE r.film_id IS NULL OR r.week <= @lastWeek
                         """, new { lastWeek = state.LastWeek }, cancellationToken: ct)))
        {
            var releasedOn = f.ReleasedOn is { } d ? DateOnly.FromDateTime(d) : DateOnly.MinValue;
            state.AddFilm(new FilmTerms(f.FilmId, f.Rate, f.Duration, f.Replacement, releasedOn, popularity.IsBoosted(f.FilmId)));
        }

        foreach (var group in (await db.QueryAsync<(int StoreId, int StaffId)>(new CommandDefinition(
                     "SELECT store_id, staff_id FROM staff ORDER BY staff_id", cancellationToken: ct))).GroupBy(s => s.StoreId))
            state.StaffByStore[group.Key] = group.Select(s => s.StaffId).ToArray();

        foreach (var c in await db.QueryAsync<(int Id, int StoreId, DateTime CreatedAt, double Activity, bool Loyal, string Segment, DateTime? ChurnedOn, DateTime? ReactivatedOn)>(
                     new CommandDefinition("""
                         SELECT c.customer_id, c.store_id, c.create_date, p.activity, p.loyal, p.segment, p.churned_on, p.reactivated_on
                         FROM customer c JOIN customer_profile p ON p.customer_id = c.customer_id
                         """, cancellationToken: ct)))
            state.AddCustomer(new CustomerState(c.Id, c.StoreId, c.CreatedAt, c.Activity, c.Loyal, c.Segment)
            {
                ChurnedOn = c.ChurnedOn is { } churned ? DateOnly.FromDateTime(churned) : null,
                ReactivatedAt = c.ReactivatedOn,
            });

        foreach (var (id, last) in await db.QueryAsync<(int Id, DateTime Last)>(new CommandDefinition(
                     "SELECT customer_id, MAX(rental_date) FROM rental GROUP BY customer_id", cancellationToken: ct)))
            state.Customers[id].LastRentalAt = last;

        // Only the stock of the weeks already simulated: the inventory service runs ahead in the
        // pipeline, and the next weeks' copies arrive with their InventoryReady. A copy known too
        // early is not rentable yet, but it would still change which random draws PickCopy makes,
        // so a state rebuilt while stock ran ahead would simulate differently from one that was not.
        foreach (var i in await db.QueryAsync<(int Id, int FilmId, int StoreId, DateTime PurchasedOn)>(new CommandDefinition("""
                     SELECT i.inventory_id, i.film_id, i.store_id, p.purchased_on
                     FROM inventory i JOIN inventory_purchase p ON p.inventory_id = i.inventory_id
                     WHERE p.week <= @lastWeek
                     """, new { lastWeek = state.LastWeek }, cancellationToken: ct)))
            state.AddCopy(i.Id, i.FilmId, i.StoreId, DvdSim.Model.Stock.StockPlan.ShelvedAt(i.PurchasedOn));

        foreach (var lost in await db.QueryAsync<int>(new CommandDefinition(
                     "SELECT inventory_id FROM rental_loss UNION SELECT inventory_id FROM inventory_status_history WHERE status = 'damaged'",
                     cancellationToken: ct)))
            state.MarkLost(lost);

        var asOf = clock.WeekEnd(state.LastWeek);
        foreach (var (inventoryId, until) in await db.QueryAsync<(int InventoryId, DateTime Until)>(new CommandDefinition(
                     "SELECT inventory_id, until FROM inventory_status_history WHERE status = 'maintenance' AND until >= @asOf ORDER BY inventory_id",
                     new { asOf }, cancellationToken: ct)))
            state.SendToMaintenance(state.Copies[inventoryId], until);

        foreach (var r in await db.QueryAsync<(long Id, int CustomerId, int InventoryId, int StaffId, DateTime RentalDate)>(
                     new CommandDefinition("""
                         SELECT r.rental_id, r.customer_id, r.inventory_id, r.staff_id, r.rental_date
                         FROM rental r LEFT JOIN rental_loss l ON l.rental_id = r.rental_id
                         WHERE r.return_date IS NULL AND l.rental_id IS NULL
                         ORDER BY r.rental_id
                         """, cancellationToken: ct)))
        {
            var copy = state.Copies[r.InventoryId];
            var film = state.Films[copy.FilmId];
            var plan = ReturnPlan.For(scenario.Seed, scenario.Returns, r.Id, r.RentalDate, film.RentalDuration);
            state.RestoreOpenRental(new OpenRental(r.Id, r.CustomerId, copy, r.StaffId, r.RentalDate, film, plan));
        }

        await LoadOpenFeesAsync(db, scenario, state, asOf, ct);

        var since = clock.WeekStart(state.LastWeek + 1).AddDays(-scenario.Customers.NoRepeatDays).ToDateTime(TimeOnly.MinValue);
        foreach (var (customerId, filmId, last) in await db.QueryAsync<(int CustomerId, int FilmId, DateTime Last)>(new CommandDefinition("""
                     SELECT r.customer_id, i.film_id, MAX(r.rental_date)
                     FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id
                     WHERE r.rental_date >= @since
                     GROUP BY r.customer_id, i.film_id
                     """, new { since }, cancellationToken: ct)))
            state.Customers[customerId].RememberRental(filmId, last, since);

        state.NextRentalId = (await db.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(rental_id) FROM rental", cancellationToken: ct)) ?? 0) + 1;
        state.NextCustomerId = (await db.ExecuteScalarAsync<int?>(new CommandDefinition("SELECT MAX(customer_id) FROM customer", cancellationToken: ct)) ?? 0) + 1;
        state.NextAddressId = (await db.ExecuteScalarAsync<int?>(new CommandDefinition("SELECT MAX(address_id) FROM address", cancellationToken: ct)) ?? 0) + 1;
        return state;
    }

    /// <summary>
    /// Late fees still open at <paramref name="asOf"/>. Only returns within the write-off period can
    /// still be open, so the query reads a bounded window of recent rentals, not the whole history.
    /// </summary>
    private static async Task LoadOpenFeesAsync(MySqlConnection db, Scenario scenario, ShopState state, DateTime asOf, CancellationToken ct)
    {
        var policy = DvdSim.Model.Billing.LateFeePolicy.For(scenario);
        var returnedSince = asOf.AddDays(-scenario.LateFeePayments.WriteOffAfterDays - 2);
        var rentedSince = returnedSince.AddDays(-scenario.Catalog.RentalDurationMax - scenario.Returns.LateDaysMax - 2);
        var rows = await db.QueryAsync<(long Id, int CustomerId, int StaffId, DateTime RentalDate, DateTime ReturnDate, int FilmId)>(
            new CommandDefinition("""
                SELECT r.rental_id, r.customer_id, r.staff_id, r.rental_date, r.return_date, i.film_id
                FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id
                WHERE r.rental_date >= @rentedSince AND r.return_date >= @returnedSince AND r.return_date < @asOf
                ORDER BY r.rental_id
                """, new { rentedSince, returnedSince, asOf }, cancellationToken: ct));
        foreach (var r in rows)
        {
            var film = state.Films[r.FilmId];
            if (policy.PlanFor(r.Id, r.RentalDate, r.ReturnDate, film.RentalDuration) is not { } plan ||
                plan.Settlement == DvdSim.Model.Billing.FeeSettlement.PaidOnReturn) continue;
            state.OpenLateFee(new OpenFee(r.Id, r.CustomerId, r.StaffId, r.RentalDate, r.ReturnDate, film, plan), asOf);
        }
    }
}

