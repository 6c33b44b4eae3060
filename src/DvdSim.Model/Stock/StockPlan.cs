using DvdSim.Contracts;
using DvdSim.Model.Popularity;
using DvdSim.Model.Randomness;
using DvdSim.Model.Shop;

namespace DvdSim.Model.Stock;

public sealed record PlannedCopy(int FilmId, int StoreId, DateTime AcquiredAt, string Reason);

public sealed record PlannedRelease(int FilmId, int CategoryId, bool Hot, bool Boosted, DateOnly ReleasedOn);

/// <summary>A film the stock planner knows: its id, when it came out and whether it is boosted.</summary>
public sealed record StockedFilm(int FilmId, DateOnly ReleasedOn, bool Boosted);

/// <summary>
/// What the shop buys and when: the opening stock (2–5 copies of every film in every store),
/// new releases every week (a share of them in the "hot" category of the moment, which
/// rotates), and restocks from the purchase schedule and rules — checked every week.
/// Restocked copies go to the films customers want most right now.
/// </summary>
public sealed class StockPlan(Scenario scenario)
{
    public const int CategoryCount = 16;

    /// <summary>Copies bought on a day are shelved at 09:00, before the shop opens.</summary>
    public static DateTime ShelvedAt(DateOnly purchasedOn) => purchasedOn.ToDateTime(new TimeOnly(9, 0));

    public static DateTime ShelvedAt(DateTime purchasedOn) => ShelvedAt(DateOnly.FromDateTime(purchasedOn));
    private readonly long _seed = scenario.Seed;
    private readonly WeekClock _clock = WeekClock.For(scenario);
    private readonly FilmPopularity _popularity = new(scenario);

    public IEnumerable<PlannedCopy> OpeningStock(IEnumerable<int> filmIds, IReadOnlyList<int> storeIds)
    {
        var acquiredAt = ShelvedAt(_clock.OpeningDate.AddDays(-1));
        foreach (var filmId in filmIds.OrderBy(f => f))
            foreach (var storeId in storeIds)
            {
                var copies = new KeyedRandom(_seed, "opening-stock", filmId, storeId)
                    .NextInt(scenario.Stores.InitialCopiesMin, scenario.Stores.InitialCopiesMax);
                for (var i = 0; i < copies; i++) yield return new PlannedCopy(filmId, storeId, acquiredAt, "opening stock");
            }
    }

    /// <summary>The category everyone wants this week; it changes every HotCategoryWeeks weeks.</summary>
    public int HotCategory(int week)
    {
        var period = Math.Max(1, scenario.Releases.HotCategoryWeeks);
        var rotation = (week - 1) / period;
        return 1 + new KeyedRandom(_seed, "hot-category", rotation).NextInt(CategoryCount);
    }

    public IReadOnlyList<PlannedRelease> Releases(int week, int firstFilmId)
    {
        var random = new KeyedRandom(_seed, "releases", week);
        var count = random.Poisson(scenario.Releases.FilmsPerWeek);
        var hot = HotCategory(week);
        var releases = new List<PlannedRelease>(count);
        for (var i = 0; i < count; i++)
        {
            var filmId = firstFilmId + i;
            var film = new KeyedRandom(_seed, "release", filmId);
            var isHot = film.Chance(scenario.Releases.HotCategoryShare);
            var category = isHot ? hot : 1 + film.NextInt(CategoryCount);
            var releasedOn = _clock.WeekStart(week).AddDays(film.NextInt(7));
            releases.Add(new PlannedRelease(filmId, category, category == hot, _popularity.IsBoosted(filmId), releasedOn));
        }
        return releases;
    }

    public IEnumerable<PlannedCopy> ReleaseCopies(PlannedRelease release, IReadOnlyList<int> storeIds)
    {
        var at = ShelvedAt(release.ReleasedOn);
        foreach (var storeId in storeIds)
            for (var i = 0; i < scenario.Releases.CopiesPerStore; i++)
                yield return new PlannedCopy(release.FilmId, storeId, at, "new release");
    }

    /// <summary>Restock orders due this week: scheduled ones and every matching rule.</summary>
    public IReadOnlyList<(int Quantity, string Reason)> OrdersDue(int week)
    {
        var orders = new List<(int, string)>();
        foreach (var order in scenario.Inventory.Schedule)
            if (order.Week == week) orders.Add((order.Quantity, Reason(order.Reason, "scheduled purchase")));
        foreach (var rule in scenario.Inventory.Rules)
            if (rule.EveryWeeks > 0 && week % rule.EveryWeeks == 0)
                orders.Add((rule.Quantity, Reason(rule.Reason, $"every {rule.EveryWeeks} weeks")));
        return orders;
    }

    /// <summary>Copies for the orders due: films drawn by current popularity, stores in turn.</summary>
    public IEnumerable<PlannedCopy> Restock(int week, IReadOnlyCollection<StockedFilm> films, IReadOnlyList<int> storeIds)
    {
        var orders = OrdersDue(week);
        if (orders.Count == 0 || films.Count == 0) yield break;
        var day = _clock.WeekStart(week);
        var table = new WeightedTable<StockedFilm>(
            films.Where(f => f.ReleasedOn <= day).OrderBy(f => f.FilmId),
            f => _popularity.Weight(f.FilmId, f.Boosted, f.ReleasedOn, day));
        if (table.Count == 0) yield break;
        var random = new KeyedRandom(_seed, "restock", week);
        var at = ShelvedAt(day);
        var n = 0;
        foreach (var (quantity, reason) in orders)
            for (var i = 0; i < quantity; i++, n++)
                yield return new PlannedCopy(table.Pick(random).FilmId, storeIds[n % storeIds.Count], at, reason);
    }

    private static string Reason(string given, string fallback) => string.IsNullOrWhiteSpace(given) ? fallback : given;
}
