using Dapper;
using DvdSim.Contracts;
using DvdSim.Model.Stock;
using MySqlConnector;

namespace DvdSim.InventoryService.Storage;

/// <summary>Reads back a week's stock changes already written (for a redelivered WeekStarted).</summary>
public static class StockReader
{
    public static async Task<(List<FilmReleased> Releases, List<CopyAcquired> Copies)> ReadWeekAsync(
        MySqlConnection db, StockPlan plan, int week, CancellationToken ct)
    {
        var rows = (await db.QueryAsync<(int FilmId, decimal Rate, int Duration, decimal Cost, DateTime ReleasedOn)>(
            new CommandDefinition("""
                SELECT f.film_id, f.rental_rate, f.rental_duration, f.replacement_cost, r.released_on
                FROM film_release r JOIN film f ON f.film_id = r.film_id WHERE r.week = @week ORDER BY f.film_id
                """, new { week }, cancellationToken: ct))).ToList();
        // The release's genre is stored only when it is the hot category (film_category does not say
        // which of a film's categories is its genre): take it from the plan, which made these films.
        var genres = rows.Count == 0 ? new Dictionary<int, int>() : plan.Releases(week, rows[0].FilmId).ToDictionary(r => r.FilmId, r => r.CategoryId);
        var releases = rows.Select(r => new FilmReleased(r.FilmId, genres[r.FilmId], r.Rate, r.Duration, r.Cost, r.ReleasedOn)).ToList();
        var weeks = week == 1 ? new[] { 0, 1 } : new[] { week };
        var copies = (await db.QueryAsync<(int Id, int FilmId, int StoreId, DateTime PurchasedOn)>(new CommandDefinition("""
                SELECT i.inventory_id, i.film_id, i.store_id, p.purchased_on
                FROM inventory_purchase p JOIN inventory i ON i.inventory_id = p.inventory_id
                WHERE p.week IN @weeks ORDER BY i.inventory_id
                """, new { weeks }, cancellationToken: ct)))
            .Select(c => new CopyAcquired(c.Id, c.FilmId, c.StoreId, StockPlan.ShelvedAt(c.PurchasedOn))).ToList();
        return (releases, copies);
    }
}
