using DvdSim.Contracts;
using DvdSim.Model.Randomness;

namespace DvdSim.Model.Catalog;

/// <summary>A film with its cast (film_actor rows) and categories (film_category rows, the genre first).</summary>
public sealed record CatalogFilm(FilmRow Film, IReadOnlyList<FilmActorRow> Actors, IReadOnlyList<FilmCategoryRow> Categories)
{
    /// <summary>The genre the title was made for; always among <see cref="Categories"/>.</summary>
    public int GenreId => Categories[0].CategoryId;
}

/// <summary>
/// Makes a film from (seed, film id, genre) alone, so the Schema service (back catalogue) and the
/// Inventory service (weekly new releases) produce the same film for the same id.
/// </summary>
public static class FilmFactory
{
    public static readonly IReadOnlyList<string> Ratings = ["G", "PG", "PG-13", "R", "NC-17"];

    /// <summary>The values of Sakila's special_features SET, in declaration order.</summary>
    public static readonly IReadOnlyList<string> SpecialFeatures = ["Trailers", "Commentaries", "Deleted Scenes", "Behind the Scenes"];

    public static readonly IReadOnlyList<decimal> SakilaRentalRates = [0.99m, 2.99m, 4.99m];

    public const int MinLength = 80;
    public const int MaxLength = 180;
    public const decimal MinReplacementCost = 10.99m;
    public const decimal MaxReplacementCost = 29.99m;

    /// <summary>A new release: release_year is the release date's year, last_update its midnight.</summary>
    public static CatalogFilm Create(long seed, int filmId, int categoryId, DateOnly releasedOn, CatalogSettings settings) =>
        Create(seed, filmId, categoryId, releasedOn.Year, releasedOn.ToDateTime(TimeOnly.MinValue), settings);

    /// <summary>A film of the given release year added to the catalogue at <paramref name="addedAt"/> (its last_update).</summary>
    public static CatalogFilm Create(long seed, int filmId, int categoryId, int releaseYear, DateTime addedAt, CatalogSettings settings)
    {
        if (filmId < 1) throw new ArgumentOutOfRangeException(nameof(filmId), filmId, "film ids start at 1");
        var genre = ReferenceData.CategoryName(categoryId);
        // MySQL's YEAR type holds 1901–2155.
        if (releaseYear is < 1901 or > 2155)
            throw new ArgumentOutOfRangeException(nameof(releaseYear), releaseYear, "release_year must be within 1901–2155");
        Validate(settings);
        var rentalRates = RentalRates(settings);

        var random = new KeyedRandom(seed, "film", filmId);
        var rating = Ratings[PickWeighted(random, RatingWeights[genre])];
        var rentalRate = random.Pick(rentalRates);
        var rentalDuration = random.NextInt(settings.RentalDurationMin, settings.RentalDurationMax);
        var replacementCost = random.NextInt(10, 29) + 0.99m;
        var length = Length(random, genre);
        var features = Features(random);
        var description = Description(random, genre);
        int? originalLanguage = genre == "Foreign" ? 2 + random.NextInt(ReferenceData.Languages.Count - 1) : null;

        var film = new FilmRow(filmId, FilmTitles.For(seed, filmId, categoryId), description, releaseYear,
            ReferenceData.EnglishLanguageId, originalLanguage, rentalDuration, rentalRate, length, replacementCost,
            rating, features, addedAt);

        var cast = DistinctSample(random, random.NextInt(3, 8), settings.Actors)
            .Order().Select(actorId => new FilmActorRow(actorId, filmId, addedAt)).ToArray();

        // One to three categories, the title's genre first.
        var categoryCount = PickWeighted(random, [55, 30, 15]) + 1;
        var categories = new List<int> { categoryId };
        while (categories.Count < categoryCount)
        {
            var other = random.NextInt(1, ReferenceData.CategoryCount);
            if (!categories.Contains(other)) categories.Add(other);
        }
        return new CatalogFilm(film, cast, categories.Select(id => new FilmCategoryRow(filmId, id, addedAt)).ToArray());
    }

    /// <summary>The rental rates a film can have: Sakila's tiers, or every x.99 within the configured range.</summary>
    public static IReadOnlyList<decimal> RentalRates(CatalogSettings settings)
    {
        if (settings.SakilaRateTiers) return SakilaRentalRates;
        if (settings.RentalRateMin <= 0)
            throw new ArgumentException("catalog.rental_rate_min must be positive", nameof(settings));
        if (settings.RentalRateMin > settings.RentalRateMax)
            throw new ArgumentException("catalog.rental_rate_min must not exceed catalog.rental_rate_max", nameof(settings));
        if (settings.RentalRateMax > 99.99m)
            throw new ArgumentException("catalog.rental_rate_max must be at most 99.99 (rental_rate is DECIMAL(4,2))", nameof(settings));
        var rates = new List<decimal>();
        for (var whole = Math.Floor(settings.RentalRateMin) - 1; whole <= Math.Floor(settings.RentalRateMax); whole++)
        {
            var rate = whole + 0.99m;
            if (rate >= settings.RentalRateMin && rate <= settings.RentalRateMax) rates.Add(rate);
        }
        return rates.Count > 0
            ? rates
            : throw new ArgumentException(
                $"catalog.rental_rate_min..catalog.rental_rate_max ({settings.RentalRateMin}..{settings.RentalRateMax}) contains no x.99 price", nameof(settings));
    }

    /// <summary>Rejects catalogue settings no film can be made from, naming the scenario key.</summary>
    public static void Validate(CatalogSettings settings)
    {
        _ = RentalRates(settings);
        if (settings.Actors < 1) throw new ArgumentException("catalog.actors must be at least 1", nameof(settings));
        if (settings.RentalDurationMin < 1)
            throw new ArgumentException("catalog.rental_duration_min must be at least 1 day", nameof(settings));
        if (settings.RentalDurationMax < settings.RentalDurationMin)
            throw new ArgumentException("catalog.rental_duration_max must not be below catalog.rental_duration_min", nameof(settings));
        if (settings.RentalDurationMax > 255)
            throw new ArgumentException("catalog.rental_duration_max must be at most 255 (rental_duration is TINYINT UNSIGNED)", nameof(settings));
    }

    /// <summary>Weights of G, PG, PG-13, R, NC-17 by genre.</summary>
    private static readonly Dictionary<string, int[]> RatingWeights = new()
    {
        ["Action"] = [2, 10, 40, 40, 8],
        ["Animation"] = [45, 40, 12, 3, 0],
        ["Children"] = [65, 32, 3, 0, 0],
        ["Classics"] = [30, 35, 15, 15, 5],
        ["Comedy"] = [10, 25, 40, 20, 5],
        ["Documentary"] = [35, 30, 25, 10, 0],
        ["Drama"] = [5, 20, 35, 32, 8],
        ["Family"] = [55, 40, 5, 0, 0],
        ["Foreign"] = [10, 20, 30, 30, 10],
        ["Games"] = [30, 35, 30, 5, 0],
        ["Horror"] = [0, 5, 25, 55, 15],
        ["Music"] = [35, 35, 20, 10, 0],
        ["New"] = [20, 20, 20, 20, 20],
        ["Sci-Fi"] = [5, 20, 45, 25, 5],
        ["Sports"] = [25, 40, 30, 5, 0],
        ["Travel"] = [45, 35, 15, 5, 0],
    };

    private static int Length(KeyedRandom random, string genre)
    {
        // Films for the young run short; the rest spread over 80–180 minutes, most near the middle.
        var max = genre is "Children" or "Animation" or "Family" ? 120 : MaxLength;
        var span = max - MinLength;
        return MinLength + (random.NextInt(span / 2 + 1) + random.NextInt(span - span / 2 + 1));
    }

    private static string Features(KeyedRandom random)
    {
        // At least one feature, as every Sakila film has.
        var chosen = SpecialFeatures.Where(_ => random.Chance(0.5)).ToList();
        if (chosen.Count == 0) chosen.Add(random.Pick(SpecialFeatures));
        return string.Join(",", SpecialFeatures.Where(chosen.Contains));
    }

    private static string Description(KeyedRandom random, string genre)
    {
        var tone = random.Pick(Tones);
        var form = random.Pick(Forms[genre]);
        var (first, second, third) = (random.Pick(Characters), random.Pick(Characters), random.Pick(Characters));
        var article = "AEIOU".Contains(tone[0]) ? "An" : "A";
        return $"{article} {tone} {form} of {WithArticle(first)} And {WithArticle(second)} who must {random.Pick(Verbs)} {WithArticle(third)} {random.Pick(Places)}";
    }

    private static string WithArticle(string noun) => ("AEIOU".Contains(noun[0]) ? "an " : "a ") + noun;

    private static int PickWeighted(KeyedRandom random, int[] weights)
    {
        var draw = random.NextInt(weights.Sum());
        for (var i = 0; i < weights.Length; i++)
        {
            if (draw < weights[i]) return i;
            draw -= weights[i];
        }
        throw new InvalidOperationException("unreachable: weights exhausted");
    }

    /// <summary>Up to <paramref name="count"/> distinct ids from 1..<paramref name="max"/>.</summary>
    private static IEnumerable<int> DistinctSample(KeyedRandom random, int count, int max)
    {
        var chosen = new HashSet<int>();
        count = Math.Min(count, max);
        while (chosen.Count < count) chosen.Add(random.NextInt(1, max));
        return chosen;
    }

    private static readonly string[] Tones =
    [
        "Epic", "Astounding", "Fateful", "Beautiful", "Brilliant", "Emotional", "Insightful", "Intrepid", "Thrilling",
        "Touching", "Unbelievable", "Amazing", "Awe-Inspiring", "Charming", "Fanciful", "Stunning", "Taut",
        "Action-Packed", "Thoughtful", "Boring", "Lacklustre",
    ];

    private static readonly Dictionary<string, string[]> Forms = new()
    {
        ["Action"] = ["Action Thriller", "Chase Story", "Saga"],
        ["Animation"] = ["Animated Tale", "Cartoon", "Fairy Tale"],
        ["Children"] = ["Fable", "Bedtime Story", "Tale"],
        ["Classics"] = ["Period Piece", "Epistle", "Romance"],
        ["Comedy"] = ["Comedy", "Farce", "Romp"],
        ["Documentary"] = ["Documentary", "Reflection", "Panorama"],
        ["Drama"] = ["Drama", "Character Study", "Story"],
        ["Family"] = ["Family Adventure", "Tale", "Yarn"],
        ["Foreign"] = ["Art-House Film", "Yarn", "Drama"],
        ["Games"] = ["Game of Wits", "Puzzle Story", "Contest"],
        ["Horror"] = ["Horror Story", "Nightmare", "Creature Feature"],
        ["Music"] = ["Musical", "Concert Film", "Rock Opera"],
        ["New"] = ["Display", "Mystery", "Story"],
        ["Sci-Fi"] = ["Space Opera", "Science Fiction Tale", "Mystery"],
        ["Sports"] = ["Sports Story", "Underdog Tale", "Saga"],
        ["Travel"] = ["Road Movie", "Travelogue", "Journey"],
    };

    private static readonly string[] Characters =
    [
        "Feminist", "Mad Scientist", "Teacher", "Dentist", "Database Administrator", "Explorer", "Robot", "Composer",
        "Crocodile", "Cat", "Moose", "Pastry Chef", "Student", "Technical Writer", "Hunter", "Lumberjack", "Husband",
        "Monkey", "Woman", "Man", "Sumo Wrestler", "Girl", "Boy", "Dog", "Shark", "Squirrel", "Secret Agent", "Waitress",
        "Forensic Psychologist", "Pioneer", "Butler", "Astronaut", "Lighthouse Keeper", "Cowboy", "Librarian", "Detective",
        "Ghost", "Ballerina", "Chef", "Emperor",
    ];

    private static readonly string[] Verbs =
    [
        "Battle", "Chase", "Confront", "Defeat", "Discover", "Escape", "Find", "Fight", "Meet", "Outgun", "Outrace",
        "Overcome", "Pursue", "Reach", "Redeem", "Sink", "Succumb", "Vanquish", "Build", "Outwit", "Rescue", "Befriend",
    ];

    private static readonly string[] Places =
    [
        "in The Canadian Rockies", "in A Shark Tank", "in Ancient Japan", "in The Gulf of Mexico", "in A Jet Boat",
        "in An Abandoned Fun House", "in A MySQL Convention", "in Ancient China", "in The Outback", "in Berlin",
        "in The Sahara Desert", "in A Manhattan Penthouse", "in The First Manned Space Station", "in A U-Boat",
        "in A Monastery", "in An Abandoned Mine Shaft", "in A Balloon", "in Nigeria", "in Soviet Georgia",
        "in A Moonlit Harbor", "in A Roadside Diner", "in A Haunted Castle", "at The North Pole", "in A Desert Casino",
    ];
}
