using Dapper;

namespace DvdSim.EndToEnd.Tests;

/// <summary>The consistency rules of SIMULATION.md, checked in SQL over a generated database.</summary>
[Collection(SimulatedRuns.Collection)]
public class ConsistencyTests(SimulatedRuns runs)
{
    [Theory]
    [InlineData(nameof(SimulatedRuns.Main))]
    [InlineData(nameof(SimulatedRuns.Lifecycle))]
    public async Task A_copy_is_never_out_twice_at_the_same_time(string run)
    {
        await using var db = await runs.OpenAsync(Database(run));
        Assert.True(await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rental") > 5000);
        var overlaps = await db.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM rental a
            JOIN rental b ON b.inventory_id = a.inventory_id AND b.rental_id > a.rental_id
            LEFT JOIN rental_loss la ON la.rental_id = a.rental_id
            LEFT JOIN rental_loss lb ON lb.rental_id = b.rental_id
            WHERE b.rental_date < COALESCE(a.return_date, la.declared_on, '9999-12-31')
              AND a.rental_date < COALESCE(b.return_date, lb.declared_on, '9999-12-31')
            """);
        Assert.Equal(0, overlaps);
    }

    [Theory]
    [InlineData(nameof(SimulatedRuns.Main))]
    [InlineData(nameof(SimulatedRuns.Lifecycle))]
    public async Task Dates_are_consistent(string run)
    {
        await using var db = await runs.OpenAsync(Database(run));
        var asOf = await db.ExecuteScalarAsync<DateTime>("SELECT as_of FROM dvdsim_as_of");
        Assert.Equal(0, await db.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM rental r JOIN customer c ON c.customer_id = r.customer_id WHERE r.rental_date < c.create_date"));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM rental r JOIN inventory_purchase p ON p.inventory_id = r.inventory_id
            WHERE r.rental_date < TIMESTAMP(p.purchased_on, '09:00:00')
            """));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rental WHERE return_date <= rental_date"));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM rental WHERE rental_date >= @asOf OR return_date >= @asOf", new { asOf }));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payment WHERE payment_date >= @asOf", new { asOf }));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM payment p JOIN rental r ON r.rental_id = p.rental_id WHERE p.payment_date < r.rental_date"));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id
            JOIN film_release f ON f.film_id = i.film_id WHERE r.rental_date < f.released_on
            """));
        // last_update is simulated time too: never the machine's clock.
        Assert.Equal(0, await db.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM rental WHERE last_update >= @asOf OR last_update < rental_date", new { asOf }));
    }

    [Theory]
    [InlineData(nameof(SimulatedRuns.Main))]
    [InlineData(nameof(SimulatedRuns.Lifecycle))]
    public async Task Balances_agree_with_sakila_get_customer_balance(string run)
    {
        await using var db = await runs.OpenAsync(Database(run));
        var rows = (await db.QueryAsync<(int Id, decimal Balance, decimal Owed)>("""
            SELECT c.customer_id, get_customer_balance(c.customer_id, (SELECT as_of FROM dvdsim_as_of)),
                   COALESCE((SELECT SUM(f.amount - f.paid_amount - f.written_off_amount) FROM late_fee f WHERE f.customer_id = c.customer_id), 0)
            FROM customer c
            """)).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.True(r.Balance == r.Owed, $"customer {r.Id}: balance {r.Balance}, owes {r.Owed}"));
    }

    [Fact]
    public async Task Every_fee_follows_the_rules()
    {
        await using var db = await runs.OpenAsync(runs.Main);
        // Rental fee = the film's rate; late fee = days late × 1.50; lost = replacement cost.
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM payment p JOIN rental r ON r.rental_id = p.rental_id
            JOIN inventory i ON i.inventory_id = r.inventory_id JOIN film f ON f.film_id = i.film_id
            WHERE (p.payment_id % 4 = 0 AND p.amount <> f.rental_rate)
               OR (p.payment_id % 4 = 1 AND p.amount <> 1.50 * (TO_DAYS(r.return_date) - TO_DAYS(r.rental_date) - CAST(f.rental_duration AS SIGNED)))
               OR (p.payment_id % 4 = 2 AND p.amount <> f.replacement_cost)
            """));
        // Every rental is paid, every late return pays its fee (the default scenario pays on return).
        Assert.Equal(0, await db.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM rental r LEFT JOIN payment p ON p.payment_id = r.rental_id * 4 WHERE p.payment_id IS NULL"));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id JOIN film f ON f.film_id = i.film_id
            LEFT JOIN payment p ON p.payment_id = r.rental_id * 4 + 1
            WHERE TO_DAYS(r.return_date) - TO_DAYS(r.rental_date) > f.rental_duration AND p.payment_id IS NULL
            """));
    }

    [Fact]
    public async Task Seasonality_is_visible_by_month()
    {
        await using var db = await runs.OpenAsync(runs.Main);
        var perDay = (await db.QueryAsync<(int Month, double PerDay)>("""
            SELECT MONTH(rental_date), COUNT(*) / COUNT(DISTINCT DATE(rental_date)) FROM rental
            WHERE rental_date >= '2002-01-01' AND rental_date < '2002-10-01' GROUP BY MONTH(rental_date)
            """)).ToDictionary(r => r.Month, r => r.PerDay);
        var ratio = perDay[7] / perDay[2]; // configured July 2.0 / February 0.9
        Assert.InRange(ratio, 1.7, 2.9);
        Assert.True(perDay[6] > perDay[3], "June (1.8) busier than March (1.1)");
        await using var log = await runs.OpenAsync(runs.Main);
        Assert.Equal(SimulatedRuns.StandardWeeks, await log.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM seasonality_log"));
    }

    [Fact]
    public async Task Top_fifth_of_films_takes_most_rentals()
    {
        await using var db = await runs.OpenAsync(runs.Main);
        var perFilm = (await db.QueryAsync<long>("""
            SELECT COUNT(*) FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id GROUP BY i.film_id ORDER BY COUNT(*) DESC
            """)).ToList();
        var films = await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM film");
        var top = perFilm.Take(films / 5).Sum();
        Assert.True(top > perFilm.Sum() / 2.0, $"top 20 % of films took {top / (double)perFilm.Sum():P0}");
    }

    [Fact]
    public async Task Open_rentals_have_no_return_date_and_the_week_tables_are_complete()
    {
        await using var db = await runs.OpenAsync(runs.Main);
        var stats = await runs.StatisticsAsync(runs.Main);
        var open = await db.ExecuteScalarAsync<int>("""
            SELECT COUNT(*) FROM rental r LEFT JOIN rental_loss l ON l.rental_id = r.rental_id
            WHERE r.return_date IS NULL AND l.rental_id IS NULL
            """);
        Assert.Equal(stats.CheckedOut, open);
        Assert.True(open > 0);
        Assert.Equal(SimulatedRuns.StandardWeeks, await db.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM dvdsim_week WHERE state = 'completed' AND wall_ms > 0 AND trace_id IS NOT NULL"));
    }

    [Theory]
    [InlineData(nameof(SimulatedRuns.Main))]
    [InlineData(nameof(SimulatedRuns.Lifecycle))] // its late fees are paid later, partly or never: something is owed
    public async Task Statistics_summed_from_the_weeks_equal_the_tables(string run)
    {
        var database = run == nameof(SimulatedRuns.Main) ? runs.Main : runs.Lifecycle;
        await using var db = await runs.OpenAsync(database);
        var stats = await runs.StatisticsAsync(database);
        var tables = await db.QuerySingleAsync<(long Rentals, DateTime First, DateTime Last, long Payments, decimal Revenue)>(
            "SELECT (SELECT COUNT(*) FROM rental), (SELECT MIN(rental_date) FROM rental), (SELECT MAX(rental_date) FROM rental), COUNT(*), SUM(amount) FROM payment");
        var fees = await db.QuerySingleAsync<(long Count, decimal Owed)>(
            "SELECT COUNT(*), SUM(amount - paid_amount - written_off_amount) FROM late_fee");
        Assert.Equal(tables, (stats.TotalRentals, stats.FirstRental!.Value, stats.LastRental!.Value, stats.Payments, stats.Revenue));
        Assert.Equal(fees, (stats.LateFees, stats.Receivables));
        Assert.True(fees.Count > 0, "no late fees");
        if (run == nameof(SimulatedRuns.Lifecycle)) Assert.True(fees.Owed > 0, $"{fees.Count} late fees and nothing owed");
    }

    [Fact]
    public async Task Sakila_routines_work_on_generated_data()
    {
        await using var db = await runs.OpenAsync(runs.Main);
        var copy = await db.ExecuteScalarAsync<int>("SELECT MIN(inventory_id) FROM inventory");
        Assert.Contains(await db.ExecuteScalarAsync<int>("SELECT inventory_in_stock(@copy)", new { copy }), new[] { 0, 1 });
        var inStock = await db.QueryAsync<int>("CALL film_in_stock(1, 1, @count)");
        Assert.NotNull(inStock);
        var rewards = await db.QueryAsync("CALL rewards_report(3, 20.00, @count)");
        Assert.NotEmpty(rewards);
        Assert.NotEmpty(await db.QueryAsync("SELECT * FROM sales_by_store"));
        Assert.NotEmpty(await db.QueryAsync("SELECT * FROM customer_list LIMIT 5"));
    }

    private string Database(string run) => run switch
    {
        nameof(SimulatedRuns.Main) => runs.Main,
        nameof(SimulatedRuns.Lifecycle) => runs.Lifecycle,
        _ => throw new ArgumentOutOfRangeException(nameof(run)),
    };
}
