using Dapper;
using DvdSim.Contracts;
using DvdSim.Model.Billing;
using MySqlConnector;

namespace DvdSim.TransactionService.Storage;

/// <summary>How the shop stood at the end of a week already written, as RentalsClosed reports it.</summary>
public sealed record WeekClosing(int NewCustomers, int ActiveCustomers, int CheckedOut);

/// <summary>
/// Reads back the billable events of a week already written, for when its InventoryReady is
/// delivered again (a crash between commit and publish). Rare, so a scan is acceptable here.
/// </summary>
public static class WeekEventsReader
{
    public static async Task<List<RentalEvent>> ReadAsync(MySqlConnection db, Scenario scenario, DateTime from, DateTime to, CancellationToken ct)
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

        // Late fees settled in the week (paid later, partly, or written off): each return's fee plan
        // says when, and only returns within the write-off period can still be settling.
        var policy = LateFeePolicy.For(scenario);
        var returnedSince = from.AddDays(-scenario.LateFeePayments.WriteOffAfterDays - 2);
        var returns = await db.QueryAsync<(long RentalId, int CustomerId, int StaffId, DateTime ReturnDate, DateTime RentalDate, decimal Rate, int Duration, decimal Replacement)>(
            new CommandDefinition($"""
                SELECT r.rental_id, r.customer_id, r.staff_id, r.return_date, r.rental_date, {terms}
                FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id JOIN film f ON f.film_id = i.film_id
                WHERE r.return_date >= @returnedSince AND r.return_date < @to
                """, new { returnedSince, to }, cancellationToken: ct));
        foreach (var r in returns)
        {
            if (policy.PlanFor(r.RentalId, r.RentalDate, r.ReturnDate, r.Duration) is not { } plan ||
                plan.Settlement == FeeSettlement.PaidOnReturn) continue;
            if (plan.PaidAt >= from && plan.PaidAt < to)
                events.Add(new RentalEvent(r.RentalId, r.CustomerId, r.StaffId, RentalEventKind.LateFeePaid, plan.PaidAt.Value,
                    r.RentalDate, r.Rate, r.Duration, r.Replacement, r.ReturnDate));
            if (plan.WrittenOffAt >= from && plan.WrittenOffAt < to)
                events.Add(new RentalEvent(r.RentalId, r.CustomerId, r.StaffId, RentalEventKind.LateFeeWrittenOff, plan.WrittenOffAt.Value,
                    r.RentalDate, r.Rate, r.Duration, r.Replacement, r.ReturnDate));
        }
        // In time order, as the week produced them.
        return events.OrderBy(e => e.At).ThenBy(e => e.Kind).ThenBy(e => e.RentalId).ToList();
    }

    /// <summary>
    /// New customers, active customers and rentals out at the end of the week. A customer is inactive
    /// then when their last churn came before it (a comeback clears churned_on), or when they came
    /// back after it (so were away at the time). Only the latest churn and comeback are stored: a
    /// customer who left and came back again after the week is counted as away, which is exact for
    /// the last two weeks written (a crash between a week's commit and its messages) and may be off
    /// for older ones.
    /// </summary>
    public static async Task<WeekClosing> ReadClosingAsync(MySqlConnection db, DateTime from, DateTime to, CancellationToken ct)
    {
        var (created, active, checkedOut) = await db.QuerySingleAsync<(long, long, long)>(new CommandDefinition("""
            SELECT
              (SELECT COUNT(*) FROM customer WHERE create_date >= @from AND create_date < @to),
              (SELECT COUNT(*) FROM customer c JOIN customer_profile p ON p.customer_id = c.customer_id
               WHERE c.create_date < @to
                 AND NOT (p.churned_on IS NOT NULL AND p.churned_on < @to)
                 AND NOT (p.reactivated_on IS NOT NULL AND p.reactivated_on >= @to
                          AND (p.churned_on IS NULL OR p.reactivated_on < p.churned_on))),
              (SELECT COUNT(*) FROM rental r LEFT JOIN rental_loss l ON l.rental_id = r.rental_id AND l.declared_on < @to
               WHERE r.rental_date < @to AND (r.return_date IS NULL OR r.return_date >= @to) AND l.rental_id IS NULL)
            """, new { from, to }, cancellationToken: ct));
        return new WeekClosing((int)created, (int)active, (int)checkedOut);
    }
}
