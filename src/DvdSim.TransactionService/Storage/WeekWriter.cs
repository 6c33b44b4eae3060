using DvdSim.Model.Shop;
using MySqlConnector;

namespace DvdSim.TransactionService.Storage;

/// <summary>
/// One simulated week as one batch, written in one database transaction and (below the bulk
/// threshold) one round trip: sign-ups, churn and reactivation, new rentals, returns of earlier
/// rentals, losses, the inventory status trail, the seasonality log and the stage marker. Either
/// all of the week is there or none of it, so a crash never leaves half a week behind.
/// </summary>
public static class WeekWriter
{
    private const string ReturnsTable = "dvdsim_returned";

    private static readonly string[] RentalColumns =
        ["rental_id", "rental_date", "inventory_id", "customer_id", "return_date", "staff_id", "last_update"];

    /// <summary>
    /// The stage marker is a plain INSERT (every other row is an upsert): a week written before —
    /// a redelivery whose first delivery committed — fails on it with a duplicate key, and nothing
    /// of the batch stays.
    /// </summary>
    public static bool IsWrittenBefore(MySqlException e) => e.ErrorCode == MySqlErrorCode.DuplicateKeyEntry;

    /// <summary>The last week whose transactions are in the database (0 before the first).</summary>
    public static async Task<int> LastWrittenWeekAsync(MySqlConnection db, CancellationToken ct)
    {
        await using var command = new MySqlCommand("SELECT COALESCE(MAX(week), 0) FROM dvdsim_stage WHERE stage = 'transactions'", db);
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static SqlBatch Batch(long seed, WeekOutcome week)
    {
        var batch = new SqlBatch();

        var people = week.SignUps.Select(s => SignUpRows.For(seed, s)).ToList();
        batch.Insert("address", SignUpRows.AddressColumns, people.Select(p => p.Address));
        batch.Insert("customer", SignUpRows.CustomerColumns, people.Select(p => p.Customer));
        batch.Insert("customer_profile", ["customer_id", "segment", "loyal", "activity", "churned_on"],
            week.SignUps.Select(s => new object?[] { s.CustomerId, s.Profile.Segment, s.Profile.Loyal, s.Profile.Activity, null }));

        // Churn and reactivation concern customers who existed before the week; all on the week's first day.
        if (week.Churned.Count > 0)
        {
            var on = SqlBatch.Literal(week.Churned[0].On);
            var ids = string.Join(',', week.Churned.Select(c => c.CustomerId));
            batch.Statement($"UPDATE customer SET active = 0, last_update = {on} WHERE customer_id IN ({ids})");
            batch.Statement($"UPDATE customer_profile SET churned_on = {on} WHERE customer_id IN ({ids})");
        }
        if (week.Reactivated.Count > 0)
        {
            var at = SqlBatch.Literal(week.Reactivated[0].At);
            var ids = string.Join(',', week.Reactivated.Select(c => c.CustomerId));
            batch.Statement($"UPDATE customer SET active = 1, last_update = {at} WHERE customer_id IN ({ids})");
            batch.Statement($"UPDATE customer_profile SET churned_on = NULL, reactivated_on = {at} WHERE customer_id IN ({ids})");
        }

        batch.Insert("rental", RentalColumns, week.NewRentals.Select(r => new object?[]
            { r.RentalId, r.RentalDate, r.InventoryId, r.CustomerId, r.ReturnDate, r.StaffId, r.ReturnDate ?? r.RentalDate }));
        // Rentals from earlier weeks get their return date now: the dates go into a temporary table of
        // the session and one UPDATE … JOIN applies them. A multi-row upsert had the server parse
        // every row and try an insert first: 15 % more of its time for the same returns. The small
        // table leads the join, row by row into rental by its key.
        if (week.Returned.Count > 0)
        {
            batch.Statement($"CREATE TEMPORARY TABLE IF NOT EXISTS {ReturnsTable} (rental_id INT UNSIGNED NOT NULL PRIMARY KEY, return_date DATETIME NOT NULL) ENGINE=MEMORY")
                .Statement($"DELETE FROM {ReturnsTable}") // not transactional: what a failed batch left must go
                .Insert(ReturnsTable, ["rental_id", "return_date"], week.Returned.Select(r => new object?[] { r.RentalId, r.ReturnDate }))
                .Statement($"UPDATE {ReturnsTable} t STRAIGHT_JOIN rental r ON r.rental_id = t.rental_id SET r.return_date = t.return_date, r.last_update = t.return_date");
        }

        batch.Insert("rental_loss", ["rental_id", "inventory_id", "declared_on", "replacement_cost"],
            week.Lost.Select(l => new object?[] { l.RentalId, l.InventoryId, l.DeclaredOn, l.ReplacementCost }));
        batch.Insert("inventory_status_history", ["inventory_id", "changed_at", "status", "reason", "until"],
            week.StatusChanges.Select(c => new object?[] { c.InventoryId, c.At, c.Status, c.Reason, c.Until }));

        var s = week.Seasonality;
        batch.Insert("seasonality_log", ["week", "week_start", "month", "seasonal", "growth", "shock", "phase", "planned_rentals"],
            [[s.Week, s.WeekStart, s.Month, s.Seasonal, s.Growth, s.Shock, s.Phase, s.PlannedRentals]]);
        batch.Statement($"INSERT INTO dvdsim_stage (week, stage, batch) VALUES ({week.Week}, 'transactions', 0)");
        return batch;
    }
}
