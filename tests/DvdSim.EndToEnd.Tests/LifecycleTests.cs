using Dapper;

namespace DvdSim.EndToEnd.Tests;

/// <summary>Level 4 on a generated database (advanced-10y's phases compressed into 80 weeks).</summary>
[Collection(SimulatedRuns.Collection)]
public class LifecycleTests(SimulatedRuns runs)
{
    [Fact]
    public async Task The_four_phases_show_in_weekly_volume()
    {
        await using var db = await runs.OpenAsync(runs.Lifecycle);
        // Rentals per week with the month's seasonal multiplier taken out, averaged by phase.
        var perPhase = (await db.QueryAsync<(string Phase, double Rentals)>("""
            SELECT s.phase, AVG(w.rentals / s.seasonal) FROM seasonality_log s JOIN dvdsim_week w ON w.week = s.week
            WHERE s.week > 8 GROUP BY s.phase
            """)).ToDictionary(p => p.Phase, p => p.Rentals);
        Assert.True(perPhase["plateau"] > perPhase["growth"] * 1.2, $"plateau {perPhase["plateau"]:F0}, growth {perPhase["growth"]:F0}");
        Assert.True(perPhase["decline"] < perPhase["plateau"] * 0.7, $"decline {perPhase["decline"]:F0}, plateau {perPhase["plateau"]:F0}");
        Assert.True(perPhase["reactivation"] > perPhase["decline"] * 1.3, $"reactivation {perPhase["reactivation"]:F0}, decline {perPhase["decline"]:F0}");
    }

    [Fact]
    public async Task Segments_behave_differently_as_configured()
    {
        await using var db = await runs.OpenAsync(runs.Lifecycle);
        var segments = (await db.QueryAsync<(string Segment, long Customers, double PerCustomer)>(
            "SELECT segment, customers, rentals_per_customer FROM customer_behaviour")).ToDictionary(s => s.Segment);
        Assert.Equal(["average", "loyal", "occasional", "super-loyal"], segments.Keys.Order());
        Assert.True(segments["super-loyal"].PerCustomer > segments["loyal"].PerCustomer);
        Assert.True(segments["loyal"].PerCustomer > segments["average"].PerCustomer);
        Assert.True(segments["average"].PerCustomer > segments["occasional"].PerCustomer);
        // Max simultaneous rentals per segment: occasional customers never hold more than 2.
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM rental a JOIN customer_profile p ON p.customer_id = a.customer_id AND p.segment = 'occasional'
            WHERE (SELECT COUNT(*) FROM rental b LEFT JOIN rental_loss l ON l.rental_id = b.rental_id
                   WHERE b.customer_id = a.customer_id AND b.rental_date <= a.rental_date
                     AND COALESCE(b.return_date, l.declared_on, '9999-12-31') > a.rental_date) > 2
            """));
        Assert.True(await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customer_profile WHERE reactivated_on IS NOT NULL") > 0);
    }

    [Fact]
    public async Task Late_fees_and_receivables_agree_with_payments()
    {
        await using var db = await runs.OpenAsync(runs.Lifecycle);
        var fees = await db.QuerySingleAsync<(long Count, decimal Billed, decimal Paid, decimal WrittenOff)>(
            "SELECT COUNT(*), SUM(amount), SUM(paid_amount), SUM(written_off_amount) FROM late_fee");
        Assert.True(fees.Count > 200);
        Assert.True(fees.WrittenOff > 0, "some fees are written off");
        Assert.True(fees.Billed > fees.Paid + fees.WrittenOff, "some fees are still owed");
        var latePayments = await db.ExecuteScalarAsync<decimal>("SELECT SUM(amount) FROM payment WHERE payment_id % 4 = 1");
        Assert.Equal(fees.Paid, latePayments);
        Assert.Equal(0, await db.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM late_fee WHERE paid_amount + written_off_amount > amount OR paid_at < billed_at OR written_off_at < billed_at"));
        // Every late return was billed.
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id JOIN film f ON f.film_id = i.film_id
            LEFT JOIN late_fee x ON x.rental_id = r.rental_id
            WHERE TO_DAYS(r.return_date) - TO_DAYS(r.rental_date) > f.rental_duration AND x.rental_id IS NULL
            """));
    }

    [Fact]
    public async Task Ageing_buckets_add_up_to_what_is_owed()
    {
        await using var db = await runs.OpenAsync(runs.Lifecycle);
        var ar = await db.QuerySingleAsync<(decimal Outstanding, decimal Current, decimal D30, decimal D60, decimal D90, decimal Suspended)>(
            "SELECT outstanding, current_0_29, days_30_59, days_60_89, days_90_plus, suspended_accounts FROM accounts_receivable_ageing");
        Assert.True(ar.Outstanding > 0);
        Assert.Equal(ar.Outstanding, ar.Current + ar.D30 + ar.D60 + ar.D90);
        var statuses = (await db.QueryAsync<string>("SELECT DISTINCT account_status FROM customer_account")).ToList();
        Assert.Contains("good standing", statuses);
        Assert.True(statuses.Count >= 3, string.Join(", ", statuses));
    }

    [Fact]
    public async Task No_copy_is_rented_while_damaged_lost_or_in_maintenance()
    {
        await using var db = await runs.OpenAsync(runs.Lifecycle);
        var statuses = (await db.QueryAsync<string>("SELECT DISTINCT status FROM inventory_status_history")).ToList();
        Assert.Contains("maintenance", statuses);
        Assert.Contains("damaged", statuses);
        Assert.Contains("lost", statuses);
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM inventory_status_history h JOIN rental r ON r.inventory_id = h.inventory_id
            WHERE r.rental_date >= h.changed_at
              AND (h.status IN ('damaged', 'lost') OR (h.status = 'maintenance' AND r.rental_date < h.until))
            """));
        var current = (await db.QueryAsync<string>("SELECT DISTINCT status FROM inventory_status")).ToList();
        Assert.Contains("available", current);
        Assert.Contains("rented", current);
    }
}
