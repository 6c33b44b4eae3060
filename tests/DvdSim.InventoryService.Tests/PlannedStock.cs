using DvdSim.Contracts;
using DvdSim.Model.Catalog;
using DvdSim.Model.Stock;

namespace DvdSim.InventoryService.Tests;

/// <summary>A copy as the pure model plans it, with the id the service must give it (ids run on in purchase order).</summary>
public sealed record PlannedCopyRow(int InventoryId, int FilmId, int StoreId, DateTime AcquiredAt, int PurchaseWeek, string Reason, decimal UnitCost);

public sealed record PlannedFilm(int Week, PlannedRelease Release, CatalogFilm Film);

/// <summary>
/// What the stock of the first weeks must be, from DvdSim.Model alone (BaseData, StockPlan,
/// FilmFactory): the oracle the service's rows are compared with. Week 1 buys the opening
/// stock (purchase week 0), then every week its releases' copies, then its restocks.
/// </summary>
public sealed class PlannedStock
{
    public List<PlannedCopyRow> Copies { get; } = [];
    public List<PlannedFilm> Releases { get; } = [];

    public static PlannedStock For(Scenario scenario, int weeks)
    {
        var result = new PlannedStock();
        var data = BaseData.Generate(scenario);
        var plan = new StockPlan(scenario);
        var stores = data.Stores.Select(s => s.StoreId).Order().ToArray();
        var costs = data.Films.ToDictionary(f => f.FilmId, f => f.ReplacementCost);
        var stocked = data.Films.Select(f => new StockedFilm(f.FilmId, DateOnly.MinValue, false)).ToList();
        var nextFilmId = data.Films.Max(f => f.FilmId) + 1;
        var nextInventoryId = 1;

        for (var week = 1; week <= weeks; week++)
        {
            var copies = new List<(PlannedCopy Copy, int Week)>();
            if (week == 1) copies.AddRange(plan.OpeningStock(data.Films.Select(f => f.FilmId), stores).Select(c => (c, 0)));
            var releases = plan.Releases(week, nextFilmId);
            foreach (var release in releases)
            {
                var film = FilmFactory.Create(scenario.Seed, release.FilmId, release.CategoryId, release.ReleasedOn, scenario.Catalog);
                result.Releases.Add(new PlannedFilm(week, release, film));
                costs[release.FilmId] = film.Film.ReplacementCost;
                stocked.Add(new StockedFilm(release.FilmId, release.ReleasedOn, release.Boosted));
                copies.AddRange(plan.ReleaseCopies(release, stores).Select(c => (c, week)));
            }
            nextFilmId += releases.Count;
            copies.AddRange(plan.Restock(week, stocked, stores).Select(c => (c, week)));
            foreach (var (copy, purchaseWeek) in copies)
                result.Copies.Add(new PlannedCopyRow(nextInventoryId++, copy.FilmId, copy.StoreId, copy.AcquiredAt, purchaseWeek,
                    copy.Reason, costs[copy.FilmId]));
        }
        return result;
    }
}
