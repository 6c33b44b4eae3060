using Dapper;
using DvdSim.Contracts;
using DvdSim.Model;
using DvdSim.Model.Catalog;
using DvdSim.Model.Scenarios;
using DvdSim.Testing;

namespace DvdSim.SchemaService.Tests;

[Collection(SchemaServiceFixture.Collection)]
public sealed class PrepareRunTests(SchemaServiceFixture fixture)
{
    private static readonly string[] SakilaTables =
    [
        "actor", "address", "category", "city", "country", "customer", "film", "film_actor", "film_category",
        "film_text", "inventory", "language", "payment", "rental", "staff", "store",
    ];

    private static readonly string[] ExtensionTables =
    [
        "customer_profile", "dvdsim_run", "dvdsim_stage", "dvdsim_week", "film_release", "inventory_purchase",
        "rental_loss", "seasonality_log",
    ];

    private static readonly BaseData Expected = BaseData.Generate(SchemaServiceFixture.Scenario);

    [Fact]
    public async Task Creates_the_sixteen_sakila_tables_and_the_extension_tables()
    {
        await using var db = await fixture.OpenAsync(fixture.Main);
        var tables = await db.QueryAsync<string>(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'");
        Assert.Equal(DeclaredSchema.Tables, tables.Order());
        Assert.Subset(tables.ToHashSet(), SakilaTables.Concat(ExtensionTables).ToHashSet());
        var engines = await db.QueryAsync<string>(
            "SELECT DISTINCT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'");
        Assert.Equal(["InnoDB"], engines);
    }

    [Fact]
    public async Task Creates_the_views_routines_and_film_text_triggers_but_not_the_now_stamping_triggers()
    {
        await using var db = await fixture.OpenAsync(fixture.Main);
        var views = await db.QueryAsync<string>("SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()");
        Assert.Equal(DeclaredSchema.Views, views.Order());
        Assert.Subset(views.ToHashSet(), new HashSet<string> { "actor_info", "customer_list", "film_list", "nicer_but_slower_film_list",
            "sales_by_film_category", "sales_by_store", "staff_list" });

        var routines = (await db.QueryAsync<(string Name, string Type)>(
            "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()")).ToList();
        Assert.Equal(["get_customer_balance", "inventory_held_by_customer", "inventory_in_stock"],
            routines.Where(r => r.Type == "FUNCTION").Select(r => r.Name).Order());
        Assert.Equal(["film_in_stock", "film_not_in_stock", "rewards_report"],
            routines.Where(r => r.Type == "PROCEDURE").Select(r => r.Name).Order());

        var triggers = await db.QueryAsync<string>("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()");
        Assert.Equal(["del_film", "ins_film", "upd_film"], triggers.Order());

        // Every view answers (and so every table and column it names exists).
        foreach (var view in views)
            await db.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM `{view}`");
    }

    [Fact]
    public async Task Ids_that_overflow_in_sakila_are_int_unsigned_in_every_table_and_routine()
    {
        await using var db = await fixture.OpenAsync(fixture.Main);
        string[] widened = ["customer_id", "address_id", "payment_id", "rental_id", "inventory_id", "film_id"];
        var columns = (await db.QueryAsync<(string Table, string Column, string Type)>("""
            SELECT c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_TYPE
            FROM information_schema.COLUMNS c
            JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
            WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE'
            """)).Where(c => widened.Contains(c.Column)).ToList();
        // Every column Sakila and DvdSim's extensions hold them in (other DvdSim tables may add more).
        (string, string)[] expected =
        [
            ("customer", "customer_id"), ("payment", "customer_id"), ("rental", "customer_id"), ("customer_profile", "customer_id"),
            ("address", "address_id"), ("customer", "address_id"), ("staff", "address_id"), ("store", "address_id"),
            ("payment", "payment_id"), ("rental", "rental_id"), ("payment", "rental_id"), ("rental_loss", "rental_id"),
            ("inventory", "inventory_id"), ("rental", "inventory_id"), ("inventory_purchase", "inventory_id"), ("rental_loss", "inventory_id"),
            ("film", "film_id"), ("film_actor", "film_id"), ("film_category", "film_id"), ("film_text", "film_id"),
            ("inventory", "film_id"), ("film_release", "film_id"),
        ];
        Assert.Subset(columns.Select(c => (c.Table, c.Column)).ToHashSet(), expected.ToHashSet());
        Assert.All(columns, c => Assert.Matches(@"^int(\(10\))? unsigned$", c.Type));

        var parameters = (await db.QueryAsync<(string Routine, string Parameter, string Type)>(
            "SELECT SPECIFIC_NAME, PARAMETER_NAME, DTD_IDENTIFIER FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = DATABASE() AND PARAMETER_NAME IS NOT NULL"))
            .Where(p => p.Parameter is "p_customer_id" or "p_inventory_id" or "p_film_id").ToList();
        Assert.Equal(5, parameters.Count);
        Assert.All(parameters, p => Assert.Matches(@"^int(\(10\))? unsigned$", p.Type));
    }

    [Fact]
    public async Task Row_counts_match_the_scenario()
    {
        var scenario = SchemaServiceFixture.Scenario;
        Assert.Equal(new RunPrepared(fixture.Main, 300, 120, 2), fixture.MainPrepared);

        await using var db = await fixture.OpenAsync(fixture.Main);
        async Task<long> Count(string table) => await db.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM `{table}`");

        Assert.Equal(scenario.Catalog.Films, await Count("film"));
        Assert.Equal(scenario.Catalog.Films, await Count("film_text"));
        Assert.Equal(scenario.Catalog.Actors, await Count("actor"));
        Assert.Equal(scenario.Stores.Count, await Count("store"));
        Assert.Equal(scenario.Stores.Count * (1 + scenario.Stores.ClerksPerStore), await Count("staff"));
        Assert.Equal(scenario.Customers.Initial, await Count("customer"));
        Assert.Equal(scenario.Customers.Initial, await Count("customer_profile"));
        Assert.Equal(2 + 6 + 120, await Count("address"));
        Assert.Equal(16, await Count("category"));
        Assert.Equal(6, await Count("language"));
        Assert.Equal(ReferenceData.Countries.Count, await Count("country"));
        Assert.Equal(ReferenceData.Cities.Count, await Count("city"));
        Assert.Equal(Expected.FilmActors.Count, await Count("film_actor"));
        Assert.Equal(Expected.FilmCategories.Count, await Count("film_category"));
        Assert.Equal(1, await Count("dvdsim_run"));
        // Stock, rentals, payments and weeks belong to the other services.
        foreach (var table in new[] { "inventory", "rental", "payment", "rental_loss", "inventory_purchase", "film_release", "dvdsim_week", "dvdsim_stage", "seasonality_log" })
            Assert.Equal(0, await Count(table));
    }

    [Fact]
    public async Task The_rows_are_the_models_base_data()
    {
        await using var db = await fixture.OpenAsync(fixture.Main);
        var films = (await db.QueryAsync<(int Id, string Title, decimal Rate, int Duration, decimal Cost, string Rating, string Features, int Year)>(
            "SELECT film_id, title, rental_rate, rental_duration, replacement_cost, rating, special_features, release_year FROM film ORDER BY film_id")).ToList();
        Assert.Equal(Expected.Films.Select(f => (f.FilmId, f.Title, f.RentalRate, f.RentalDuration, f.ReplacementCost, f.Rating, f.SpecialFeatures, f.ReleaseYear)), films);

        var filmText = await db.QueryAsync<(int Id, string Title, string Description)>("SELECT film_id, title, description FROM film_text ORDER BY film_id");
        Assert.Equal(Expected.Films.Select(f => (f.FilmId, f.Title, f.Description)), filmText);

        var customers = (await db.QueryAsync<(int Id, int Store, string First, string Email, int Address, DateTime Created)>(
            "SELECT customer_id, store_id, first_name, email, address_id, create_date FROM customer ORDER BY customer_id")).ToList();
        Assert.Equal(Expected.Customers.Select(c => (c.CustomerId, c.StoreId, c.FirstName, c.Email, c.AddressId, c.CreateDate)), customers);

        var profiles = await db.QueryAsync<(int Id, string Segment, bool Loyal, double Activity)>(
            "SELECT customer_id, segment, loyal, activity FROM customer_profile ORDER BY customer_id");
        Assert.Equal(Expected.CustomerProfiles.Select(p => (p.CustomerId, p.Segment, p.Loyal, p.Activity)), profiles);

        var genres = await db.QueryAsync<(int FilmId, int CategoryId)>("SELECT film_id, category_id FROM film_category");
        Assert.Equal(Expected.FilmCategories.Select(c => (c.FilmId, c.CategoryId)).Order(), genres.Order());
    }

    [Fact]
    public async Task Every_last_update_is_simulated_time_before_the_opening()
    {
        var scenario = SchemaServiceFixture.Scenario;
        var opening = WeekClock.For(scenario).OpeningDate.ToDateTime(TimeOnly.MinValue);
        var setup = BaseData.SetupTime(scenario);

        await using var db = await fixture.OpenAsync(fixture.Main);
        var tables = (await db.QueryAsync<string>("""
            SELECT c.TABLE_NAME FROM information_schema.COLUMNS c
            JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
            WHERE c.TABLE_SCHEMA = DATABASE() AND c.COLUMN_NAME = 'last_update' AND t.TABLE_TYPE = 'BASE TABLE'
            """)).ToList();
        Assert.Equal(SakilaTables.Except(["film_text"]).Order(), tables.Order());

        var checkedTables = 0;
        foreach (var table in tables)
        {
            var (rows, first, last) = await db.QuerySingleAsync<(long, DateTime?, DateTime?)>(
                $"SELECT COUNT(*), MIN(last_update), MAX(last_update) FROM `{table}`");
            if (rows == 0) continue;
            checkedTables++;
            Assert.InRange(first!.Value, setup, opening);
            Assert.InRange(last!.Value, setup, opening);
        }
        Assert.Equal(12, checkedTables); // all but inventory, payment and rental, which are empty
        Assert.Equal(setup, await db.ExecuteScalarAsync<DateTime>("SELECT MIN(last_update) FROM film"));
        var (firstSignup, lastSignup) = await db.QuerySingleAsync<(DateTime, DateTime)>("SELECT MIN(create_date), MAX(create_date) FROM customer");
        Assert.InRange(firstSignup, opening.AddDays(-BaseData.SignupDaysBeforeOpening), opening);
        Assert.InRange(lastSignup, opening.AddDays(-BaseData.SignupDaysBeforeOpening), opening);
    }

    [Fact]
    public async Task Every_foreign_key_is_satisfied()
    {
        await using var db = await fixture.OpenAsync(fixture.Main);
        var keys = (await db.QueryAsync<(string Table, string Column, string RefTable, string RefColumn)>("""
            SELECT TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
            FROM information_schema.KEY_COLUMN_USAGE
            WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL
            """)).ToList();
        Assert.Equal(DeclaredSchema.ForeignKeys, keys.Count);
        Assert.True(keys.Count >= 28, $"only {keys.Count} foreign keys (Sakila and the extensions have 28)");
        foreach (var (table, column, refTable, refColumn) in keys)
        {
            var orphans = await db.ExecuteScalarAsync<long>($"""
                SELECT COUNT(*) FROM `{table}` c LEFT JOIN `{refTable}` p ON p.`{refColumn}` = c.`{column}`
                WHERE c.`{column}` IS NOT NULL AND p.`{refColumn}` IS NULL
                """);
            Assert.True(orphans == 0, $"{table}.{column} → {refTable}.{refColumn}: {orphans} orphans");
        }
    }

    [Fact]
    public async Task The_run_metadata_is_stored()
    {
        await using var db = await fixture.OpenAsync(fixture.Main);
        var run = await db.QuerySingleAsync<(string Name, string Json, long Seed, DateTime Opening, int Weeks, decimal LateFee, string Version, DateTime CreatedAt)>(
            "SELECT scenario_name, scenario_json, seed, opening_date, weeks_target, late_fee_per_day, dvdsim_version, created_at FROM dvdsim_run WHERE run_key = 1");
        Assert.Equal("schema-test", run.Name);
        Assert.Equal(SchemaServiceFixture.ScenarioText, run.Json);
        Assert.Equal(4242, run.Seed);
        Assert.Equal(WeekClock.For(SchemaServiceFixture.Scenario).OpeningDate.ToDateTime(TimeOnly.MinValue), run.Opening);
        Assert.Equal(SchemaServiceFixture.WeeksTarget, run.Weeks);
        Assert.Equal(2.25m, run.LateFee);
        Assert.Equal("0.1", run.Version);
        // created_at is metadata: the wall clock, in UTC.
        Assert.InRange(run.CreatedAt, DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task The_same_scenario_in_another_database_gives_identical_tables()
    {
        var main = await fixture.ChecksumsAsync(fixture.Main, "dvdsim_run");
        var twin = await fixture.ChecksumsAsync(fixture.Twin, "dvdsim_run");
        Assert.Equal(DeclaredSchema.Tables.Count - 1, main.Count);
        Assert.Equal(main, twin);
        Assert.Contains(main.Values, v => v != "0" && v != "NULL");
    }

    [Fact]
    public async Task A_redelivered_prepare_run_changes_nothing_and_is_announced_again()
    {
        var database = TestServers.CreateDatabaseName();
        var first = await fixture.PrepareAsync(database);
        // A row written after preparation, as the coordinator would: a rebuild would lose it.
        await using (var db = await fixture.OpenAsync(database))
            await db.ExecuteAsync("INSERT INTO dvdsim_week (week, week_start, state) VALUES (1, '2001-07-09', 'started')");
        var before = await fixture.ChecksumsAsync(database);

        var again = await fixture.PrepareAsync(database);
        Assert.Equal(first, again);
        Assert.Equal(before, await fixture.ChecksumsAsync(database));
    }

    [Fact]
    public async Task Two_prepare_runs_for_one_database_at_once_prepare_it_once()
    {
        var database = TestServers.CreateDatabaseName();
        var message = new PrepareRun(database, SchemaServiceFixture.ScenarioText, SchemaServiceFixture.WeeksTarget);
        await Task.WhenAll(fixture.Bus.PublishAsync(message), fixture.Bus.PublishAsync(message));

        var deadline = DateTime.UtcNow + SchemaServiceFixture.Timeout;
        while (fixture.Bus.Received<RunPrepared>().Count(m => m.Database == database) < 2 && DateTime.UtcNow < deadline)
        {
            Assert.DoesNotContain(fixture.Bus.Received<RunFailed>(), m => m.Database == database);
            await Task.Delay(50);
        }
        Assert.Equal([new RunPrepared(database, 300, 120, 2), new RunPrepared(database, 300, 120, 2)],
            fixture.Bus.Received<RunPrepared>().Where(m => m.Database == database));
        Assert.DoesNotContain(fixture.Bus.Received<RunFailed>(), m => m.Database == database);
        Assert.Equal(await fixture.ChecksumsAsync(fixture.Main, "dvdsim_run"), await fixture.ChecksumsAsync(database, "dvdsim_run"));
    }

    [Fact]
    public async Task Another_scenario_for_a_prepared_database_fails_and_changes_nothing()
    {
        var before = await fixture.ChecksumsAsync(fixture.Main);
        var other = ScenarioJson.Write(SchemaServiceFixture.Scenario with { Seed = 99 });
        var failed = await fixture.PrepareExpectingFailureAsync(fixture.Main, other);
        Assert.Equal((fixture.Main, 0, "schema"), (failed.Database, failed.Week, failed.Service));
        Assert.Contains("different scenario", failed.Reason);
        Assert.Contains(fixture.Main, failed.Reason);
        Assert.Equal(before, await fixture.ChecksumsAsync(fixture.Main));
    }

    [Fact]
    public async Task An_invalid_database_name_fails_naming_it()
    {
        const string name = "bad name`; DROP";
        var failed = await fixture.PrepareExpectingFailureAsync(name);
        Assert.Equal((name, 0, "schema"), (failed.Database, failed.Week, failed.Service));
        Assert.Contains($"invalid database name '{name}'", failed.Reason);
    }

    [Fact]
    public async Task An_impossible_scenario_fails_naming_the_key_and_creates_nothing()
    {
        var database = TestServers.CreateDatabaseName();
        var json = ScenarioJson.Write(SchemaServiceFixture.Scenario with { Stores = new StoreSettings { Count = 0 } });
        var failed = await fixture.PrepareExpectingFailureAsync(database, json);
        Assert.Contains("stores.count", failed.Reason);
        Assert.False(await fixture.DatabaseExistsAsync(database));
    }

    [Fact]
    public async Task A_half_prepared_database_is_rebuilt_from_scratch()
    {
        var database = TestServers.CreateDatabaseName();
        await using (var server = await fixture.OpenAsync())
        {
            // What a crash after the first DDL statements leaves: dvdsim_run without its row, odd leftovers.
            await server.ExecuteAsync($"CREATE DATABASE `{database}`");
            await server.ExecuteAsync($"CREATE TABLE `{database}`.dvdsim_run (run_key TINYINT UNSIGNED PRIMARY KEY)");
            await server.ExecuteAsync($"CREATE TABLE `{database}`.film (film_id INT PRIMARY KEY, leftover VARCHAR(10))");
            await server.ExecuteAsync($"INSERT INTO `{database}`.film VALUES (1, 'junk')");
        }

        var prepared = await fixture.PrepareAsync(database);
        Assert.Equal(300, prepared.Films);
        Assert.Equal(await fixture.ChecksumsAsync(fixture.Main, "dvdsim_run"), await fixture.ChecksumsAsync(database, "dvdsim_run"));
    }

    [Fact]
    public async Task A_database_that_is_not_a_dvdsim_run_is_left_alone()
    {
        var database = TestServers.CreateDatabaseName();
        await using (var server = await fixture.OpenAsync())
        {
            await server.ExecuteAsync($"CREATE DATABASE `{database}`");
            await server.ExecuteAsync($"CREATE TABLE `{database}`.notes (id INT PRIMARY KEY)");
        }

        var failed = await fixture.PrepareExpectingFailureAsync(database);
        Assert.Contains("no DvdSim run", failed.Reason);
        await using var db = await fixture.OpenAsync(database);
        Assert.Equal(["notes"], await db.QueryAsync<string>("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"));
    }

    [Fact]
    public async Task The_service_answers_on_its_root_and_health_endpoints()
    {
        using var http = new HttpClient { BaseAddress = fixture.Service.BaseUrl };
        Assert.Contains("schema service", await http.GetStringAsync("/"));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }
}
