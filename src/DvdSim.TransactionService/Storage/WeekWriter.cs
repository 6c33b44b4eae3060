using System.Globalization;
using System.Text;
using Dapper;
using DvdSim.Model.Shop;
using MySqlConnector;

namespace DvdSim.TransactionService.Storage;

/// <summary>
/// Writes one simulated week in one database transaction: sign-ups, churn, new rentals,
/// returns of earlier rentals, losses, the seasonality log and the stage marker. Either all of
/// the week is there or none of it, so a crash never leaves half a week behind.
/// </summary>
public static class WeekWriter
{
    private const int UpsertChunk = 1000;

    public static async Task WriteAsync(MySqlConnection db, long seed, WeekOutcome week, CancellationToken ct)
    {
        await using var tx = await db.BeginTransactionAsync(ct);

        var people = week.SignUps.Select(s => SignUpRows.For(seed, s)).ToList();
        await TableWriter.LoadAsync(db, tx, "address", SignUpRows.AddressColumns, people.Select(p => p.Address), ct);
        await TableWriter.LoadAsync(db, tx, "customer", SignUpRows.CustomerColumns, people.Select(p => p.Customer), ct);
        await TableWriter.LoadAsync(db, tx, "customer_profile", ["customer_id", "segment", "loyal", "activity", "churned_on"],
            week.SignUps.Select(s => new object?[] { s.CustomerId, s.Profile.Segment, s.Profile.Loyal, s.Profile.Activity, null }), ct);
        // Churn and reactivation apply to customers who existed before the week (sign-ups are new).

        if (week.Churned.Count > 0)
        {
            var on = week.Churned[0].On.ToDateTime(TimeOnly.MinValue);
            var ids = week.Churned.Select(c => c.CustomerId).ToArray();
            await db.ExecuteAsync(new CommandDefinition(
                "UPDATE customer SET active = 0, last_update = @on WHERE customer_id IN @ids", new { on, ids }, tx, cancellationToken: ct));
            await db.ExecuteAsync(new CommandDefinition(
                "UPDATE customer_profile SET churned_on = @on WHERE customer_id IN @ids", new { on, ids }, tx, cancellationToken: ct));
        }

        if (week.Reactivated.Count > 0)
        {
            var at = week.Reactivated[0].At;
            var ids = week.Reactivated.Select(c => c.CustomerId).ToArray();
            await db.ExecuteAsync(new CommandDefinition(
                "UPDATE customer SET active = 1, last_update = @at WHERE customer_id IN @ids", new { at, ids }, tx, cancellationToken: ct));
            await db.ExecuteAsync(new CommandDefinition(
                "UPDATE customer_profile SET churned_on = NULL, reactivated_on = @at WHERE customer_id IN @ids", new { at, ids }, tx, cancellationToken: ct));
        }

        await TableWriter.LoadAsync(db, tx, "rental",
            ["rental_id", "rental_date", "inventory_id", "customer_id", "return_date", "staff_id", "last_update"],
            week.NewRentals.Select(r => new object?[]
                { r.RentalId, r.RentalDate, r.InventoryId, r.CustomerId, r.ReturnDate, r.StaffId, r.ReturnDate ?? r.RentalDate }), ct);

        foreach (var chunk in week.Returned.Chunk(UpsertChunk))
            await db.ExecuteAsync(new CommandDefinition(ReturnsUpsert(chunk), transaction: tx, cancellationToken: ct));

        await TableWriter.LoadAsync(db, tx, "rental_loss", ["rental_id", "inventory_id", "declared_on", "replacement_cost"],
            week.Lost.Select(l => new object?[] { l.RentalId, l.InventoryId, l.DeclaredOn, l.ReplacementCost }), ct);

        await TableWriter.LoadAsync(db, tx, "inventory_status_history", ["inventory_id", "changed_at", "status", "reason", "until"],
            week.StatusChanges.Select(c => new object?[] { c.InventoryId, c.At, c.Status, c.Reason, c.Until }), ct);

        var s = week.Seasonality;
        await TableWriter.LoadAsync(db, tx, "seasonality_log",
            ["week", "week_start", "month", "seasonal", "growth", "shock", "phase", "planned_rentals"],
            [[s.Week, s.WeekStart, s.Month, s.Seasonal, s.Growth, s.Shock, s.Phase, s.PlannedRentals]], ct);
        await TableWriter.LoadAsync(db, tx, "dvdsim_stage", ["week", "stage", "batch"], [[week.Week, "transactions", 0]], ct);

        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Sets return_date on rentals written in earlier weeks. Values are typed numbers and dates
    /// formatted here, never user text. Works on MariaDB and MySQL 8.
    /// </summary>
    private static string ReturnsUpsert(IEnumerable<RentalRecord> rows)
    {
        var sql = new StringBuilder("INSERT INTO rental (rental_id, rental_date, inventory_id, customer_id, return_date, staff_id, last_update) VALUES ");
        var first = true;
        foreach (var r in rows)
        {
            if (!first) sql.Append(',');
            first = false;
            sql.Append('(').Append(r.RentalId).Append(",'").Append(Format(r.RentalDate)).Append("',")
               .Append(r.InventoryId).Append(',').Append(r.CustomerId).Append(",'").Append(Format(r.ReturnDate!.Value)).Append("',")
               .Append(r.StaffId).Append(",'").Append(Format(r.ReturnDate.Value)).Append("')");
        }
        sql.Append(" ON DUPLICATE KEY UPDATE return_date = VALUES(return_date), last_update = VALUES(last_update)");
        return sql.ToString();
    }

    private static string Format(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
