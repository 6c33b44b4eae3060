using DvdSim.Contracts;
using DvdSim.Model.Randomness;

namespace DvdSim.Model.Popularity;

/// <summary>
/// Film popularity: a Zipf law over ranks (weight = 1 / rank^alpha), times a decaying boost for
/// a share of new releases. A film's rank is a pure function of (seed, film id), so nothing
/// about popularity needs storing: the catalogue films take the ranks of a seeded shuffle, a
/// new release draws a rank among the films that exist when it comes out.
/// </summary>
public sealed class FilmPopularity
{
    private readonly PopularitySettings _settings;
    private readonly long _seed;
    private readonly int[] _catalogueRank; // index film_id - 1 for the base catalogue

    public FilmPopularity(Scenario scenario)
    {
        _settings = scenario.Popularity;
        _seed = scenario.Seed;
        var n = scenario.Catalog.Films;
        var order = Enumerable.Range(1, n).ToArray();
        var random = new KeyedRandom(_seed, "popularity-ranks");
        for (var i = n - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        _catalogueRank = new int[n];
        for (var rank = 0; rank < n; rank++) _catalogueRank[order[rank] - 1] = rank + 1;
    }

    public int CatalogueSize => _catalogueRank.Length;

    public int RankOf(int filmId) =>
        filmId <= _catalogueRank.Length
            ? _catalogueRank[filmId - 1]
            // A release competes with the films already out: a uniform rank among them.
            : new KeyedRandom(_seed, "release-rank", filmId).NextInt(1, filmId - 1);

    public double BaseWeight(int filmId) => 1.0 / Math.Pow(RankOf(filmId), _settings.ZipfAlpha);

    /// <summary>Whether this release is one of the boosted share (decided once per film).</summary>
    public bool IsBoosted(int filmId) =>
        filmId > _catalogueRank.Length &&
        new KeyedRandom(_seed, "release-boost", filmId).Chance(_settings.BoostedReleaseShare);

    /// <summary>Boost on a given day: full at release, decaying linearly to none after BoostDays.</summary>
    public double Boost(bool boosted, DateOnly releasedOn, DateOnly day)
    {
        if (!boosted) return 1.0;
        var age = day.DayNumber - releasedOn.DayNumber;
        if (age < 0 || age >= _settings.NewReleaseBoostDays) return 1.0;
        var remaining = 1.0 - age / (double)_settings.NewReleaseBoostDays;
        return 1.0 + (_settings.NewReleaseBoost - 1.0) * remaining;
    }

    public double Weight(int filmId, bool boosted, DateOnly releasedOn, DateOnly day) =>
        BaseWeight(filmId) * Boost(boosted, releasedOn, day);
}
