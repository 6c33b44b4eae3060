using DvdSim.Contracts;
using DvdSim.Model.Catalog;
using DvdSim.Model.Stock;

namespace DvdSim.InventoryService.Storage;

/// <summary>New films of the week: film, its actors and categories, and the release record.</summary>
public static class ReleaseWriter
{
    public static IReadOnlyList<CatalogFilm> Drafts(Scenario scenario, IReadOnlyList<PlannedRelease> releases) =>
        releases.Select(r => FilmFactory.Create(scenario.Seed, r.FilmId, r.CategoryId, r.ReleasedOn, scenario.Catalog)).ToList();

    public static void Add(SqlBatch batch, int week, IReadOnlyList<PlannedRelease> releases, IReadOnlyList<CatalogFilm> drafts)
    {
        if (releases.Count == 0) return;
        batch.Insert("film",
            ["film_id", "title", "description", "release_year", "language_id", "original_language_id", "rental_duration",
                "rental_rate", "length", "replacement_cost", "rating", "special_features", "last_update"],
            drafts.Select(d => d.Film).Select(f => new object?[] { f.FilmId, f.Title, f.Description, f.ReleaseYear, f.LanguageId,
                f.OriginalLanguageId, f.RentalDuration, f.RentalRate, f.Length, f.ReplacementCost, f.Rating, f.SpecialFeatures, f.LastUpdate }));
        batch.Insert("film_actor", ["actor_id", "film_id", "last_update"],
            drafts.SelectMany(d => d.Actors).Select(a => new object?[] { a.ActorId, a.FilmId, a.LastUpdate }));
        batch.Insert("film_category", ["film_id", "category_id", "last_update"],
            drafts.SelectMany(d => d.Categories).Select(c => new object?[] { c.FilmId, c.CategoryId, c.LastUpdate }));
        batch.Insert("film_release", ["film_id", "week", "released_on", "hot_category_id", "boosted"],
            releases.Select(r => new object?[] { r.FilmId, week, r.ReleasedOn, r.Hot ? r.CategoryId : null, r.Boosted }));
    }
}
