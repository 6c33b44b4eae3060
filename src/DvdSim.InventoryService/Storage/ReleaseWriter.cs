using DvdSim.Contracts;
using DvdSim.Model.Catalog;
using DvdSim.Model.Stock;
using MySqlConnector;

namespace DvdSim.InventoryService.Storage;

/// <summary>New films of the week: film, its actors and categories, and the release record.</summary>
public static class ReleaseWriter
{
    public static IReadOnlyList<CatalogFilm> Drafts(Scenario scenario, IReadOnlyList<PlannedRelease> releases) =>
        releases.Select(r => FilmFactory.Create(scenario.Seed, r.FilmId, r.CategoryId, r.ReleasedOn, scenario.Catalog)).ToList();

    public static async Task WriteAsync(MySqlConnection db, MySqlTransaction tx, int week,
        IReadOnlyList<PlannedRelease> releases, IReadOnlyList<CatalogFilm> drafts, CancellationToken ct)
    {
        if (releases.Count == 0) return;
        await TableWriter.LoadAsync(db, tx, "film",
            ["film_id", "title", "description", "release_year", "language_id", "original_language_id", "rental_duration",
                "rental_rate", "length", "replacement_cost", "rating", "special_features", "last_update"],
            drafts.Select(d => d.Film).Select(f => new object?[] { f.FilmId, f.Title, f.Description, f.ReleaseYear, f.LanguageId,
                f.OriginalLanguageId, f.RentalDuration, f.RentalRate, f.Length, f.ReplacementCost, f.Rating, f.SpecialFeatures, f.LastUpdate }), ct);
        await TableWriter.LoadAsync(db, tx, "film_actor", ["actor_id", "film_id", "last_update"],
            drafts.SelectMany(d => d.Actors).Select(a => new object?[] { a.ActorId, a.FilmId, a.LastUpdate }), ct);
        await TableWriter.LoadAsync(db, tx, "film_category", ["film_id", "category_id", "last_update"],
            drafts.SelectMany(d => d.Categories).Select(c => new object?[] { c.FilmId, c.CategoryId, c.LastUpdate }), ct);
        await TableWriter.LoadAsync(db, tx, "film_release", ["film_id", "week", "released_on", "hot_category_id", "boosted"],
            releases.Select(r => new object?[] { r.FilmId, week, r.ReleasedOn, r.Hot ? r.CategoryId : null, r.Boosted }), ct);
    }
}
