using DvdSim.Contracts;
using DvdSim.Model.Catalog;
using DvdSim.Model.Randomness;

namespace DvdSim.Model.Tests.Catalog;

public class FilmFactoryTests
{
    private static readonly CatalogSettings Settings = new();
    private static readonly DateTime AddedAt = new(2001, 8, 27, 9, 0, 0);

    private static CatalogFilm Make(long seed, int filmId, int categoryId, CatalogSettings? settings = null) =>
        FilmFactory.Create(seed, filmId, categoryId, 1999, AddedAt, settings ?? Settings);

    private static int GenreFor(int filmId) => new KeyedRandom(7, "test-genre", filmId).NextInt(1, 16);

    [Fact]
    public void Same_seed_and_id_make_the_same_film()
    {
        for (var id = 1; id <= 50; id++)
        {
            var a = Make(42, id, GenreFor(id));
            var b = Make(42, id, GenreFor(id));
            Assert.Equal(a.Film, b.Film);
            Assert.Equal(a.Actors, b.Actors);
            Assert.Equal(a.Categories, b.Categories);
        }
    }

    [Fact]
    public void A_different_seed_makes_different_films()
    {
        var differentTitles = Enumerable.Range(1, 50).Count(id => Make(42, id, 5).Film.Title != Make(43, id, 5).Film.Title);
        var differentCasts = Enumerable.Range(1, 50).Count(id => !Make(42, id, 5).Actors.SequenceEqual(Make(43, id, 5).Actors));
        Assert.True(differentTitles >= 45, $"only {differentTitles} of 50 titles differ");
        Assert.True(differentCasts >= 45, $"only {differentCasts} of 50 casts differ");
    }

    [Fact]
    public void The_genre_is_the_first_of_one_to_three_distinct_categories()
    {
        var counts = new int[4];
        for (var id = 1; id <= 2000; id++)
        {
            var genre = GenreFor(id);
            var film = Make(42, id, genre);
            Assert.Equal(genre, film.GenreId);
            Assert.InRange(film.Categories.Count, 1, 3);
            Assert.Equal(film.Categories.Count, film.Categories.Select(c => c.CategoryId).Distinct().Count());
            Assert.All(film.Categories, c =>
            {
                Assert.InRange(c.CategoryId, 1, 16);
                Assert.Equal(id, c.FilmId);
                Assert.Equal(AddedAt, c.LastUpdate);
            });
            counts[film.Categories.Count]++;
        }
        Assert.All(counts[1..], n => Assert.True(n > 100, $"category counts {string.Join(",", counts)}"));
    }

    [Fact]
    public void Values_stay_within_the_configured_ranges()
    {
        var seenRates = new HashSet<decimal>();
        var seenDurations = new HashSet<int>();
        for (var id = 1; id <= 2000; id++)
        {
            var film = Make(42, id, GenreFor(id));
            var f = film.Film;
            Assert.Equal(id, f.FilmId);
            Assert.InRange(f.RentalRate, 2.99m, 9.99m);
            Assert.Equal(0.99m, f.RentalRate - decimal.Truncate(f.RentalRate));
            Assert.InRange(f.RentalDuration, 3, 7);
            Assert.InRange(f.ReplacementCost, 10m, 30m);
            Assert.Equal(0.99m, f.ReplacementCost - decimal.Truncate(f.ReplacementCost));
            Assert.InRange(f.Length, 80, 180);
            Assert.Contains(f.Rating, FilmFactory.Ratings);
            Assert.Equal(1, f.LanguageId);
            Assert.Equal(1999, f.ReleaseYear);
            Assert.Equal(AddedAt, f.LastUpdate);
            Assert.InRange(f.Title.Length, 1, 128);
            Assert.StartsWith("A", f.Description);

            var features = f.SpecialFeatures.Split(',');
            Assert.NotEmpty(features);
            Assert.All(features, x => Assert.Contains(x, FilmFactory.SpecialFeatures));
            // Written in the SET's declared order, without repeats.
            Assert.Equal(FilmFactory.SpecialFeatures.Where(features.Contains), features);

            Assert.InRange(film.Actors.Count, 3, 8);
            Assert.Equal(film.Actors.Count, film.Actors.Select(a => a.ActorId).Distinct().Count());
            Assert.All(film.Actors, a => Assert.InRange(a.ActorId, 1, Settings.Actors));

            seenRates.Add(f.RentalRate);
            seenDurations.Add(f.RentalDuration);
        }
        Assert.Equal([2.99m, 3.99m, 4.99m, 5.99m, 6.99m, 7.99m, 8.99m, 9.99m], seenRates.Order());
        Assert.Equal([3, 4, 5, 6, 7], seenDurations.Order());
    }

    [Fact]
    public void Sakila_rate_tiers_give_only_0_99_2_99_and_4_99()
    {
        var settings = Settings with { SakilaRateTiers = true };
        var rates = Enumerable.Range(1, 600).Select(id => Make(42, id, GenreFor(id), settings).Film.RentalRate).ToHashSet();
        Assert.Equal([0.99m, 2.99m, 4.99m], rates.Order());
    }

    [Fact]
    public void A_custom_rate_range_keeps_its_x_99_prices()
    {
        var settings = Settings with { RentalRateMin = 3.50m, RentalRateMax = 5.50m };
        var rates = Enumerable.Range(1, 400).Select(id => Make(42, id, 1, settings).Film.RentalRate).ToHashSet();
        Assert.Equal([3.99m, 4.99m], rates.Order());
    }

    [Theory]
    [InlineData(5.10, 5.50, "catalog.rental_rate_min")]
    [InlineData(6.00, 5.00, "catalog.rental_rate_min must not exceed")]
    [InlineData(0, 5.00, "catalog.rental_rate_min must be positive")]
    public void An_impossible_rate_range_is_rejected_naming_the_key(double min, double max, string expected)
    {
        var settings = Settings with { RentalRateMin = (decimal)min, RentalRateMax = (decimal)max };
        var error = Assert.Throws<ArgumentException>(() => Make(42, 1, 1, settings));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void An_impossible_duration_range_is_rejected_naming_the_key()
    {
        var error = Assert.Throws<ArgumentException>(() => Make(42, 1, 1, Settings with { RentalDurationMin = 5, RentalDurationMax = 4 }));
        Assert.Contains("catalog.rental_duration_max", error.Message);
    }

    [Fact]
    public void Ratings_follow_the_genre()
    {
        string[] RatingsOf(string genre) =>
            Enumerable.Range(1, 1000).Select(id => Make(42, id, ReferenceData.CategoryId(genre)).Film.Rating).ToArray();

        var children = RatingsOf("Children");
        Assert.DoesNotContain("R", children);
        Assert.DoesNotContain("NC-17", children);
        Assert.True(children.Count(r => r is "G" or "PG") > 900);

        var horror = RatingsOf("Horror");
        Assert.DoesNotContain("G", horror);
        Assert.True(horror.Count(r => r is "R" or "NC-17") > 600);
    }

    [Fact]
    public void Five_thousand_films_have_five_thousand_titles()
    {
        var titles = Enumerable.Range(1, 5000).Select(id => FilmTitles.For(42, id, GenreFor(id))).ToList();
        var duplicates = titles.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key).Take(5).ToList();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Titles_stay_unique_past_the_word_pairs_with_sequel_numerals()
    {
        var ids = Enumerable.Range(FilmTitles.PairCount - 299, 600).ToList();
        var titles = ids.Select(id => FilmTitles.For(42, id, GenreFor(id))).ToList();
        Assert.Equal(titles.Count, titles.Distinct().Count());
        Assert.All(titles.Take(300), t => Assert.False(t.EndsWith(" II"), t));
        Assert.All(titles.Skip(300), t => Assert.EndsWith(" II", t));
    }

    [Fact]
    public void Title_words_of_different_lists_never_coincide()
    {
        // Uniqueness by construction needs every word list disjoint from the others and from the templates.
        var adjectives = FilmTitles.Adjectives;
        var nouns = FilmTitles.Nouns.Values.SelectMany(n => n).ToList();
        var templateWords = FilmTitles.Templates.Values.SelectMany(t => t)
            .SelectMany(t => t.Split(' ')).Where(w => w is not "{A}" and not "{N}").Distinct().ToList();

        Assert.Equal(adjectives.Count, adjectives.Distinct().Count());
        Assert.Equal(nouns.Count, nouns.Distinct().Count());
        Assert.All(FilmTitles.Nouns.Values, list => Assert.Equal(FilmTitles.NounsPerGenre, list.Count));
        Assert.Empty(adjectives.Intersect(nouns));
        Assert.Empty(templateWords.Intersect(adjectives.Concat(nouns)));
        Assert.All(adjectives.Concat(nouns), w => Assert.DoesNotContain(' ', w));
        Assert.Equal(ReferenceData.Categories.Order(), FilmTitles.Nouns.Keys.Order());
        Assert.Equal(ReferenceData.Categories.Order(), FilmTitles.Templates.Keys.Order());
        Assert.All(FilmTitles.Templates.Values, t => Assert.Equal("{A} {N}", t[0]));
    }

    [Fact]
    public void Titles_use_the_genre_vocabulary()
    {
        for (var id = 1; id <= 300; id++)
        {
            var genre = GenreFor(id);
            var words = FilmTitles.For(42, id, genre).Split(' ');
            Assert.Contains(words, w => FilmTitles.Nouns[ReferenceData.CategoryName(genre)].Contains(w));
        }
    }

    [Fact]
    public void A_new_release_is_dated_by_its_release_day()
    {
        var film = FilmFactory.Create(42, 777, 14, new DateOnly(2003, 5, 16), Settings);
        Assert.Equal(2003, film.Film.ReleaseYear);
        Assert.Equal(new DateTime(2003, 5, 16), film.Film.LastUpdate);
        Assert.All(film.Actors, a => Assert.Equal(new DateTime(2003, 5, 16), a.LastUpdate));
        // The same film whichever overload made it.
        Assert.Equal(film, FilmFactory.Create(42, 777, 14, 2003, new DateTime(2003, 5, 16), Settings), new CatalogFilmComparer());
    }

    [Fact]
    public void Foreign_films_have_an_original_language_and_others_do_not()
    {
        Assert.All(Enumerable.Range(1, 100), id => Assert.InRange(Make(42, id, ReferenceData.CategoryId("Foreign")).Film.OriginalLanguageId!.Value, 2, 6));
        Assert.All(Enumerable.Range(1, 100), id => Assert.Null(Make(42, id, ReferenceData.CategoryId("Drama")).Film.OriginalLanguageId));
    }

    [Fact]
    public void Bad_ids_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(42, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(42, 1, 17));
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(42, 1, 0));
    }

    private sealed class CatalogFilmComparer : IEqualityComparer<CatalogFilm>
    {
        public bool Equals(CatalogFilm? x, CatalogFilm? y) =>
            x is not null && y is not null && x.Film == y.Film && x.Actors.SequenceEqual(y.Actors) && x.Categories.SequenceEqual(y.Categories);

        public int GetHashCode(CatalogFilm obj) => obj.Film.GetHashCode();
    }
}
