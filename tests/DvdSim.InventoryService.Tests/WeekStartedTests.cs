using Dapper;
using DvdSim.Contracts;
using DvdSim.Model;
using DvdSim.Model.Catalog;
using DvdSim.Model.Stock;
using DvdSim.Testing;

namespace DvdSim.InventoryService.Tests;

[Collection(InventoryServiceFixture.Collection)]
public sealed class WeekStartedTests(InventoryServiceFixture fixture)
{
    private static Scenario Scenario => InventoryServiceFixture.Scenario;
    private static readonly WeekClock Clock = WeekClock.For(Scenario);
    private static readonly BaseData Base = BaseData.Generate(Scenario);
    private static readonly PlannedStock Planned = PlannedStock.For(Scenario, InventoryServiceFixture.Weeks);
    private static readonly string[] StockReasons = ["opening stock", "new release"];

    private sealed class CopyRow
    {
        public int InventoryId { get; set; }
        public int FilmId { get; set; }
        public int StoreId { get; set; }
        public DateTime LastUpdate { get; set; }
        public int Week { get; set; }
        public DateTime PurchasedOn { get; set; }
        public string Reason { get; set; } = "";
        public decimal UnitCost { get; set; }
        public decimal ReplacementCost { get; set; }
    }

    /// <summary>film's columns as read (Dapper converts the TINYINT/SMALLINT/YEAR columns into these).</summary>
    private sealed class FilmColumns
    {
        public int FilmId { get; set; }
        public string Title { get; set; } = "";
        public string Description { get; set; } = "";
        public int ReleaseYear { get; set; }
        public int LanguageId { get; set; }
        public int? OriginalLanguageId { get; set; }
        public int RentalDuration { get; set; }
        public decimal RentalRate { get; set; }
        public int Length { get; set; }
        public decimal ReplacementCost { get; set; }
        public string Rating { get; set; } = "";
        public string SpecialFeatures { get; set; } = "";
        public DateTime LastUpdate { get; set; }

        public FilmRow ToRow() => new(FilmId, Title, Description, ReleaseYear, LanguageId, OriginalLanguageId, RentalDuration,
            RentalRate, Length, ReplacementCost, Rating, SpecialFeatures, LastUpdate);
    }

    private async Task<List<CopyRow>> CopiesAsync(string database)
    {
        await using var db = await fixture.OpenAsync(database);
        return (await db.QueryAsync<CopyRow>("""
            SELECT i.inventory_id AS InventoryId, i.film_id AS FilmId, i.store_id AS StoreId, i.last_update AS LastUpdate,
                   p.week AS Week, p.purchased_on AS PurchasedOn, p.reason AS Reason, p.unit_cost AS UnitCost,
                   f.replacement_cost AS ReplacementCost
            FROM inventory i
            JOIN inventory_purchase p ON p.inventory_id = i.inventory_id
            JOIN film f ON f.film_id = i.film_id
            ORDER BY i.inventory_id
            """)).ToList();
    }

    [Fact]
    public async Task Week_one_brings_the_opening_stock_bought_the_day_before_the_opening()
    {
        var dayBefore = Clock.OpeningDate.AddDays(-1).ToDateTime(TimeOnly.MinValue);
        var week1 = fixture.MainWeeks[0];
        var opening = week1.Acquired.Where(c => c.AcquiredAt == dayBefore.AddHours(9)).ToList();

        // Every film of the back catalogue in every store, initial_copies_min..max copies of each.
        var perFilmAndStore = opening.GroupBy(c => (c.FilmId, c.StoreId)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Base.Films.Count * Scenario.Stores.Count, perFilmAndStore.Count);
        Assert.Equal(Base.Films.Select(f => f.FilmId).Order(), perFilmAndStore.Keys.Select(k => k.FilmId).Distinct().Order());
        Assert.All(perFilmAndStore.Values, n => Assert.InRange(n, Scenario.Stores.InitialCopiesMin, Scenario.Stores.InitialCopiesMax));
        // The whole range is used, not a single value.
        Assert.Contains(Scenario.Stores.InitialCopiesMin, perFilmAndStore.Values);
        Assert.Contains(Scenario.Stores.InitialCopiesMax, perFilmAndStore.Values);

        var rows = (await CopiesAsync(fixture.Main)).Where(r => r.Week == 0).ToList();
        Assert.Equal(opening.Select(c => (c.InventoryId, c.FilmId, c.StoreId)), rows.Select(r => (r.InventoryId, r.FilmId, r.StoreId)));
        Assert.All(rows, r =>
        {
            Assert.Equal(dayBefore, r.PurchasedOn);
            Assert.Equal(dayBefore.AddHours(9), r.LastUpdate);
            Assert.Equal("opening stock", r.Reason);
            Assert.Equal(r.ReplacementCost, r.UnitCost);
        });
        // The opening stock takes the first ids; week 1's own purchases follow.
        Assert.Equal(Enumerable.Range(1, rows.Count), rows.Select(r => r.InventoryId));
    }

    [Fact]
    public async Task Every_copy_has_exactly_one_purchase_record_and_starts_its_status_trail_available()
    {
        await using var db = await fixture.OpenAsync(fixture.Main);
        var (copies, purchases, orphans) = await db.QuerySingleAsync<(long, long, long)>("""
            SELECT (SELECT COUNT(*) FROM inventory), (SELECT COUNT(*) FROM inventory_purchase),
                   (SELECT COUNT(*) FROM inventory i LEFT JOIN inventory_purchase p ON p.inventory_id = i.inventory_id WHERE p.inventory_id IS NULL)
            """);
        Assert.Equal(copies, purchases);
        Assert.Equal(0, orphans);
        Assert.Equal(fixture.MainWeeks.Sum(w => w.Acquired.Count), copies);

        // The audit trail opens with the purchase: available from the moment the copy is shelved.
        var trail = (await db.QueryAsync<(int, DateTime, string, string, DateTime?)>(
            "SELECT inventory_id, changed_at, status, reason, until FROM inventory_status_history ORDER BY inventory_id")).ToList();
        var rows = await CopiesAsync(fixture.Main);
        Assert.Equal(rows.Select(r => (r.InventoryId, r.LastUpdate, "available", "purchased: " + r.Reason, (DateTime?)null)), trail);
    }

    [Fact]
    public async Task A_scheduled_purchase_and_a_rule_add_exactly_their_quantity_with_their_reason()
    {
        var rows = await CopiesAsync(fixture.Main);
        var restocks = rows.Where(r => !StockReasons.Contains(r.Reason))
            .GroupBy(r => (r.Week, r.Reason)).ToDictionary(g => g.Key, g => g.ToList());

        // Week 2: the schedule's 7; week 3: the every-3-weeks rule's 5; no other week restocks.
        Assert.Equal([(2, "holiday stock"), (3, "quarterly top-up")], restocks.Keys.Order());
        Assert.Equal(7, restocks[(2, "holiday stock")].Count);
        Assert.Equal(5, restocks[(3, "quarterly top-up")].Count);

        await using var db = await fixture.OpenAsync(fixture.Main);
        var releasedOn = (await db.QueryAsync<(int FilmId, DateTime ReleasedOn)>("SELECT film_id, released_on FROM film_release"))
            .ToDictionary(r => r.FilmId, r => r.ReleasedOn);
        foreach (var ((week, _), copies) in restocks)
        {
            var weekStart = Clock.WeekStart(week).ToDateTime(TimeOnly.MinValue);
            Assert.All(copies, c =>
            {
                Assert.Equal(weekStart, c.PurchasedOn);
                Assert.Equal(weekStart.AddHours(9), c.LastUpdate);
                Assert.Equal(c.ReplacementCost, c.UnitCost);
                // Only films already out can be restocked.
                if (releasedOn.TryGetValue(c.FilmId, out var day)) Assert.True(day <= weekStart, $"film {c.FilmId} restocked before its release");
            });
            // Stores take turns: 7 → 4 + 3, 5 → 3 + 2.
            Assert.Equal([(copies.Count + 1) / 2, copies.Count / 2],
                copies.GroupBy(c => c.StoreId).OrderBy(g => g.Key).Select(g => g.Count()));
            // And the week's message announces them.
            var announced = fixture.MainWeeks[week - 1].Acquired.Select(a => a.InventoryId).ToHashSet();
            Assert.All(copies, c => Assert.Contains(c.InventoryId, announced));
        }
    }

    [Fact]
    public async Task Releases_insert_the_film_its_cast_categories_release_record_text_and_copies()
    {
        var releases = fixture.MainWeeks.SelectMany(w => w.Releases.Select(r => (w.Week, Release: r))).ToList();
        var plan = new StockPlan(Scenario);
        // The scenario exercises what this test checks: several releases, hot and not.
        Assert.True(releases.Count >= 4, $"only {releases.Count} releases in {InventoryServiceFixture.Weeks} weeks");
        Assert.Contains(releases, r => r.Release.CategoryId == plan.HotCategory(r.Week));
        Assert.Contains(releases, r => r.Release.CategoryId != plan.HotCategory(r.Week));
        // New films continue the catalogue's ids.
        Assert.Equal(Enumerable.Range(Base.Films.Count + 1, releases.Count), releases.Select(r => r.Release.FilmId));

        await using var db = await fixture.OpenAsync(fixture.Main);
        var copies = await CopiesAsync(fixture.Main);
        foreach (var (week, release) in releases)
        {
            var id = release.FilmId;
            var film = await db.QuerySingleAsync<(string Title, string Description, decimal Rate, int Duration, decimal Cost, int Year, DateTime LastUpdate)>(
                "SELECT title, description, rental_rate, rental_duration, replacement_cost, CAST(release_year AS SIGNED), last_update FROM film WHERE film_id = @id", new { id });
            Assert.Equal((release.RentalRate, release.RentalDuration, release.ReplacementCost), (film.Rate, film.Duration, film.Cost));
            Assert.Equal(release.ReleasedAt.Year, film.Year);
            Assert.Equal(release.ReleasedAt, film.LastUpdate);

            var record = await db.QuerySingleAsync<(int Week, DateTime ReleasedOn, int? HotCategory, bool Boosted)>(
                "SELECT week, released_on, hot_category_id, boosted FROM film_release WHERE film_id = @id", new { id });
            Assert.Equal(week, record.Week);
            Assert.Equal(release.ReleasedAt, record.ReleasedOn);
            Assert.InRange(record.ReleasedOn, Clock.WeekStart(week).ToDateTime(TimeOnly.MinValue), Clock.WeekEnd(week).AddTicks(-1));
            Assert.Equal(release.CategoryId == plan.HotCategory(week) ? release.CategoryId : null, record.HotCategory);

            var categories = (await db.QueryAsync<int>("SELECT category_id FROM film_category WHERE film_id = @id", new { id })).ToList();
            Assert.Contains(release.CategoryId, categories);
            Assert.InRange(categories.Count, 1, 3);
            var actors = (await db.QueryAsync<int>("SELECT actor_id FROM film_actor WHERE film_id = @id", new { id })).ToList();
            Assert.InRange(actors.Count, 3, 8);
            Assert.All(actors, a => Assert.InRange(a, 1, Scenario.Catalog.Actors));

            // film_text comes from the ins_film trigger.
            var text = await db.QuerySingleAsync<(string Title, string Description)>(
                "SELECT title, description FROM film_text WHERE film_id = @id", new { id });
            Assert.Equal((film.Title, film.Description), text);

            // copies_per_store copies in every store, shelved on the release day.
            var filmCopies = copies.Where(c => c.FilmId == id && c.Reason == "new release").ToList();
            Assert.Equal(Scenario.Releases.CopiesPerStore * Scenario.Stores.Count, filmCopies.Count);
            Assert.All(filmCopies, c => Assert.Equal((week, release.ReleasedAt, release.ReleasedAt.AddHours(9)), (c.Week, c.PurchasedOn, c.LastUpdate)));
            Assert.Equal(Enumerable.Repeat(Scenario.Releases.CopiesPerStore, Scenario.Stores.Count),
                filmCopies.GroupBy(c => c.StoreId).Select(g => g.Count()));
        }
    }

    [Fact]
    public async Task Each_published_inventory_ready_is_exactly_what_was_written_that_week()
    {
        var rows = await CopiesAsync(fixture.Main);
        await using var db = await fixture.OpenAsync(fixture.Main);
        var films = (await db.QueryAsync<(int FilmId, int Week, DateTime ReleasedOn, decimal Rate, int Duration, decimal Cost)>("""
            SELECT f.film_id, r.week, r.released_on, f.rental_rate, f.rental_duration, f.replacement_cost
            FROM film_release r JOIN film f ON f.film_id = r.film_id ORDER BY f.film_id
            """)).ToList();

        for (var week = 1; week <= InventoryServiceFixture.Weeks; week++)
        {
            var message = fixture.MainWeeks[week - 1];
            Assert.Equal((fixture.Main, week), (message.Database, message.Week));
            Assert.True(message.StageMilliseconds > 0);
            // Week 1 announces the opening stock (purchase week 0) with its own purchases.
            var written = rows.Where(r => r.Week == week || (week == 1 && r.Week == 0))
                .Select(r => new CopyAcquired(r.InventoryId, r.FilmId, r.StoreId, r.LastUpdate));
            Assert.Equal(written, message.Acquired);
            Assert.Equal(films.Where(f => f.Week == week).Select(f => (f.FilmId, f.ReleasedOn, f.Rate, f.Duration, f.Cost)),
                message.Releases.Select(r => (r.FilmId, r.ReleasedAt, r.RentalRate, r.RentalDuration, r.ReplacementCost)));
        }
    }

    [Fact]
    public async Task What_it_writes_is_the_stock_plan_of_the_pure_model()
    {
        var rows = await CopiesAsync(fixture.Main);
        Assert.Equal(Planned.Copies.Select(c => (c.InventoryId, c.FilmId, c.StoreId, c.AcquiredAt, c.PurchaseWeek, c.AcquiredAt.Date, c.Reason, c.UnitCost)),
            rows.Select(r => (r.InventoryId, r.FilmId, r.StoreId, r.LastUpdate, r.Week, r.PurchasedOn, r.Reason, r.UnitCost)));

        await using var db = await fixture.OpenAsync(fixture.Main);
        var first = Base.Films.Count + 1;
        var films = await db.QueryAsync<FilmColumns>("""
            SELECT film_id AS FilmId, title AS Title, description AS Description, CAST(release_year AS SIGNED) AS ReleaseYear,
                   language_id AS LanguageId, original_language_id AS OriginalLanguageId, rental_duration AS RentalDuration,
                   rental_rate AS RentalRate, length AS Length, replacement_cost AS ReplacementCost, rating AS Rating,
                   special_features AS SpecialFeatures, last_update AS LastUpdate
            FROM film WHERE film_id >= @first ORDER BY film_id
            """, new { first });
        Assert.Equal(Planned.Releases.Select(r => r.Film.Film), films.Select(f => f.ToRow()));

        var actors = await db.QueryAsync<(int, int, DateTime)>(
            "SELECT actor_id, film_id, last_update FROM film_actor WHERE film_id >= @first ORDER BY film_id, actor_id", new { first });
        Assert.Equal(Planned.Releases.SelectMany(r => r.Film.Actors).Select(a => (a.ActorId, a.FilmId, a.LastUpdate))
            .OrderBy(a => a.FilmId).ThenBy(a => a.ActorId), actors);
        var categories = await db.QueryAsync<(int, int, DateTime)>(
            "SELECT film_id, category_id, last_update FROM film_category WHERE film_id >= @first ORDER BY film_id, category_id", new { first });
        Assert.Equal(Planned.Releases.SelectMany(r => r.Film.Categories).Select(c => (c.FilmId, c.CategoryId, c.LastUpdate)).Order(), categories);
        var records = await db.QueryAsync<(int, int, DateTime, int?, bool)>(
            "SELECT film_id, week, released_on, hot_category_id, boosted FROM film_release ORDER BY film_id");
        Assert.Equal(Planned.Releases.Select(r => (r.Release.FilmId, r.Week, r.Release.ReleasedOn.ToDateTime(TimeOnly.MinValue),
            r.Release.Hot ? r.Release.CategoryId : (int?)null, r.Release.Boosted)), records);
    }

    [Fact]
    public async Task A_redelivered_week_started_writes_nothing_and_republishes_the_same_inventory_ready()
    {
        var database = TestServers.CreateDatabaseName();
        await fixture.PrepareAsync(database);
        var first = new List<InventoryReady>();
        for (var week = 1; week <= InventoryServiceFixture.Weeks; week++) first.Add(await fixture.StartWeekAsync(database, week));
        // Same scenario, same rows as Main (the run metadata records wall-clock time).
        var before = await fixture.ChecksumsAsync(database);
        var main = await fixture.ChecksumsAsync(fixture.Main);
        Assert.Equal(main.Where(t => t.Key != "dvdsim_run"), before.Where(t => t.Key != "dvdsim_run"));

        for (var week = 1; week <= InventoryServiceFixture.Weeks; week++)
        {
            var again = await fixture.StartWeekAsync(database, week);
            var original = first[week - 1];
            Assert.Equal((original.Database, original.Week), (again.Database, again.Week));
            Assert.Equal(original.Releases, again.Releases);
            Assert.Equal(original.Acquired, again.Acquired);
            Assert.Equal(before, await fixture.ChecksumsAsync(database));
        }
    }

    [Fact]
    public async Task A_week_started_before_the_previous_weeks_stock_waits_for_it_and_ids_continue_in_week_order()
    {
        var database = TestServers.CreateDatabaseName();
        await fixture.PrepareAsync(database);
        await fixture.StartWeekAsync(database, 1);

        // The coordinator starts weeks ahead; here week 3 comes before week 2. It is refused (and retried) until week 2 is in.
        await fixture.Bus.PublishAsync(new WeekStarted(database, 3));
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        Assert.DoesNotContain(fixture.Bus.Received<InventoryReady>(), m => m.Database == database && m.Week == 3);
        await fixture.StartWeekAsync(database, 2);
        for (var week = 3; week <= InventoryServiceFixture.Weeks; week++) await fixture.StartWeekAsync(database, week);

        // Same ids, same rows as Main, which took its weeks in order (the run metadata records wall-clock time).
        var mine = await fixture.ChecksumsAsync(database);
        var main = await fixture.ChecksumsAsync(fixture.Main);
        Assert.Equal(main.Where(t => t.Key != "dvdsim_run"), mine.Where(t => t.Key != "dvdsim_run"));
    }

    [Fact]
    public async Task The_service_answers_on_its_root_and_health_endpoints()
    {
        using var http = fixture.Inventory.CreateClient();
        Assert.Contains("inventory service", await http.GetStringAsync("/"));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }
}
