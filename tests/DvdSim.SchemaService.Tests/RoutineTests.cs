using System.Data;
using Dapper;
using DvdSim.Testing;
using MySqlConnector;

namespace DvdSim.SchemaService.Tests;

/// <summary>
/// The Sakila functions and procedures on a prepared database with a few hand-written rentals,
/// checked against values computed here from the same rows.
/// </summary>
[Collection(SchemaServiceFixture.Collection)]
public sealed class RoutineTests(SchemaServiceFixture fixture) : IAsyncLifetime
{
    private readonly string _database = TestServers.CreateDatabaseName();
    private MySqlConnection _db = null!;
    private Film _film = null!;

    private sealed class Film
    {
        public int Id { get; init; }
        public decimal Rate { get; init; }
        public int Duration { get; init; }
        public decimal Replacement { get; init; }
    }

    // Customer 1: an on-time return, a return three calendar days late, a lost copy, three payments.
    // Customer 2: one open rental of copy 1 and one payment.
    private static readonly DateTime Day0 = new(2001, 11, 5, 10, 0, 0);

    public async Task InitializeAsync()
    {
        await fixture.PrepareAsync(_database);
        _db = await fixture.OpenAsync(_database);
        _film = await _db.QuerySingleAsync<Film>(
            "SELECT film_id AS Id, rental_rate AS Rate, rental_duration AS Duration, replacement_cost AS Replacement FROM film WHERE film_id = 1");

        await _db.ExecuteAsync("""
            INSERT INTO inventory (inventory_id, film_id, store_id, last_update) VALUES
              (1, 1, 1, '2001-07-09 09:00:00'), (2, 1, 1, '2001-07-09 09:00:00'),
              (3, 1, 1, '2001-07-09 09:00:00'), (4, 1, 1, '2001-07-09 09:00:00'), (5, 1, 2, '2001-07-09 09:00:00')
            """);
        await _db.ExecuteAsync("""
            INSERT INTO rental (rental_id, rental_date, inventory_id, customer_id, return_date, staff_id, last_update) VALUES
              (1, @day0, 1, 1, @onTime, 1, @onTime),
              (2, @day0b, 2, 1, @late, 1, @late),
              (3, @day1, 3, 1, NULL, 1, @day1),
              (4, @again, 1, 2, NULL, 2, @again)
            """,
            new
            {
                day0 = Day0,
                onTime = Day0.AddDays(_film.Duration).AddHours(2),
                day0b = Day0.AddHours(1),
                late = Day0.AddDays(_film.Duration + 3).AddHours(5),
                day1 = Day0.AddDays(1),
                again = Day0.AddDays(_film.Duration).AddHours(4),
            });
        await _db.ExecuteAsync(
            "INSERT INTO rental_loss (rental_id, inventory_id, declared_on, replacement_cost) VALUES (3, 3, @declared, @cost)",
            new { declared = Day0.AddDays(40), cost = _film.Replacement });
        await _db.ExecuteAsync("""
            INSERT INTO payment (payment_id, customer_id, staff_id, rental_id, amount, payment_date, last_update) VALUES
              (1, 1, 1, 1, @rate, @day0, @day0),
              (2, 1, 1, 2, @rate, @day0b, @day0b),
              (3, 1, 1, 3, @rate, @day1, @day1),
              (4, 2, 2, 4, @rate, @again, @again),
              (5, 1, 1, 2, 5.00, '2001-12-03 12:00:00', '2001-12-03 12:00:00')
            """,
            new { rate = _film.Rate, day0 = Day0, day0b = Day0.AddHours(1), day1 = Day0.AddDays(1), again = Day0.AddDays(_film.Duration).AddHours(4) });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<decimal> Balance(int customerId, DateTime at) =>
        _db.ExecuteScalarAsync<decimal>("SELECT get_customer_balance(@customerId, @at)", new { customerId, at });

    [Fact]
    public async Task Get_customer_balance_charges_rentals_late_days_at_the_run_fee_and_lost_copies_minus_payments()
    {
        const decimal lateFee = 2.25m; // the scenario's, stored in dvdsim_run
        var end = new DateTime(2002, 6, 1);
        // 3 rentals + 3 late days + the lost copy − 3 rental payments − 5.00.
        Assert.Equal(3 * _film.Rate + 3 * lateFee + _film.Replacement - 3 * _film.Rate - 5.00m, await Balance(1, end));
        // Before the late copy came back and before the loss was declared: the rental fees, all paid.
        Assert.Equal(0m, await Balance(1, Day0.AddDays(2)));
        // After the late return, before the loss.
        Assert.Equal(3 * lateFee, await Balance(1, Day0.AddDays(_film.Duration + 4)));
        // Before anything happened.
        Assert.Equal(0m, await Balance(1, Day0.AddDays(-1)));
        Assert.Equal(0m, await Balance(2, end));
        Assert.Equal(0m, await Balance(99, end));
    }

    [Fact]
    public async Task Inventory_in_stock_and_held_by_customer_follow_open_rentals()
    {
        async Task<bool> InStock(int inventoryId) =>
            await _db.ExecuteScalarAsync<bool>("SELECT inventory_in_stock(@inventoryId)", new { inventoryId });
        async Task<int?> HeldBy(int inventoryId) =>
            await _db.ExecuteScalarAsync<int?>("SELECT inventory_held_by_customer(@inventoryId)", new { inventoryId });

        Assert.False(await InStock(1)); // rented again, open
        Assert.True(await InStock(2));  // returned
        Assert.False(await InStock(3)); // lost: never returned
        Assert.True(await InStock(4));  // never rented
        Assert.Equal(2, await HeldBy(1));
        Assert.Null(await HeldBy(2));
        Assert.Equal(1, await HeldBy(3));
    }

    [Fact]
    public async Task Film_in_stock_and_film_not_in_stock_count_the_copies_of_a_store()
    {
        async Task<(List<int> Copies, int Count)> Call(string procedure, int filmId, int storeId)
        {
            await using var command = new MySqlCommand(procedure, _db) { CommandType = CommandType.StoredProcedure };
            command.Parameters.AddWithValue("p_film_id", filmId);
            command.Parameters.AddWithValue("p_store_id", storeId);
            command.Parameters.Add(new MySqlParameter("p_film_count", MySqlDbType.Int32) { Direction = ParameterDirection.Output });
            var copies = new List<int>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) copies.Add(Convert.ToInt32(reader.GetValue(0)));
                while (await reader.NextResultAsync()) { }
            }
            return (copies, Convert.ToInt32(command.Parameters["p_film_count"].Value));
        }

        var inStock = await Call("film_in_stock", 1, 1);
        Assert.Equal([2, 4], inStock.Copies.Order());
        Assert.Equal(2, inStock.Count);

        var notInStock = await Call("film_not_in_stock", 1, 1);
        Assert.Equal([1, 3], notInStock.Copies.Order());
        Assert.Equal(2, notInStock.Count);

        var otherStore = await Call("film_in_stock", 1, 2);
        Assert.Equal([5], otherStore.Copies);
        Assert.Equal(1, otherStore.Count);

        var noCopies = await Call("film_in_stock", 2, 1);
        Assert.Empty(noCopies.Copies);
        Assert.Equal(0, noCopies.Count);
    }

    [Fact]
    public async Task Rewards_report_looks_at_the_month_before_the_latest_payment()
    {
        // The latest payment is on 2001-12-03, so "last month" is November 2001: customer 1 paid
        // three times there, customer 2 once.
        await using var command = new MySqlCommand("rewards_report", _db) { CommandType = CommandType.StoredProcedure };
        command.Parameters.AddWithValue("min_monthly_purchases", 2);
        command.Parameters.AddWithValue("min_dollar_amount_purchased", 0.50m);
        command.Parameters.Add(new MySqlParameter("count_rewardees", MySqlDbType.Int32) { Direction = ParameterDirection.Output });
        var rewardees = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) rewardees.Add(Convert.ToInt32(reader["customer_id"]));
            while (await reader.NextResultAsync()) { }
        }
        Assert.Equal([1], rewardees);
        Assert.Equal(1, Convert.ToInt32(command.Parameters["count_rewardees"].Value));
    }

    [Fact]
    public async Task The_film_triggers_keep_film_text_in_step()
    {
        await _db.ExecuteAsync("UPDATE film SET title = 'RENAMED FILM', last_update = '2001-12-01 09:00:00' WHERE film_id = 2");
        Assert.Equal("RENAMED FILM", await _db.ExecuteScalarAsync<string>("SELECT title FROM film_text WHERE film_id = 2"));
        await _db.ExecuteAsync("DELETE FROM film_category WHERE film_id = 2; DELETE FROM film_actor WHERE film_id = 2; DELETE FROM film WHERE film_id = 2");
        Assert.Equal(0, await _db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM film_text WHERE film_id = 2"));
        // Sakila's full-text search over film_text works.
        Assert.True(await _db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM film_text WHERE MATCH(title, description) AGAINST ('Story')") > 0);
    }
}
