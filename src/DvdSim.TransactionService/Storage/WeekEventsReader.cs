using Dapper;
using DvdSim.Contracts;
using MySqlConnector;

namespace DvdSim.TransactionService.Storage;

/// <summary>
/// Reads back the billable events of a week already written, for when its InventoryReady is
/// delivered again (a crash between commit and publish). Rare, so a scan is acceptable here.
/// </summary>
public static class WeekEventsReader
{
    public static async Task<List<RentalEvent>> ReadAsync(MySqlConnection db, DateTime from, DateTime to, CancellationToken ct)
    {
        const string terms = "f.rental_rate, f.rental_duration, f.replacement_cost";
        var events = new List<RentalEvent>();
        foreach (var (kind, sql) in new[]
                 {
                     (RentalEventKind.Rented, $"SELECT r.rental_id, r.customer_id, r.staff_id, r.rental_date AS at, r.rental_date, {terms} FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id JOIN film f ON f.film_id = i.film_id WHERE r.rental_date >= @from AND r.rental_date < @to"),
                     (RentalEventKind.Returned, $"SELECT r.rental_id, r.customer_id, r.staff_id, r.return_date AS at, r.rental_date, {terms} FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id JOIN film f ON f.film_id = i.film_id WHERE r.return_date >= @from AND r.return_date < @to"),
                     (RentalEventKind.Lost, $"SELECT r.rental_id, r.customer_id, r.staff_id, l.declared_on AS at, r.rental_date, {terms} FROM rental_loss l JOIN rental r ON r.rental_id = l.rental_id JOIN inventory i ON i.inventory_id = r.inventory_id JOIN film f ON f.film_id = i.film_id WHERE l.declared_on >= @from AND l.declared_on < @to"),
                 })
        {
            var rows = await db.QueryAsync<(long RentalId, int CustomerId, int StaffId, DateTime At, DateTime RentalDate, decimal Rate, int Duration, decimal Replacement)>(
                new CommandDefinition(sql, new { from, to }, cancellationToken: ct));
            events.AddRange(rows.Select(r => new RentalEvent(r.RentalId, r.CustomerId, r.StaffId, kind, r.At, r.RentalDate, r.Rate, r.Duration, r.Replacement)));
        }
        return events;
    }
}
