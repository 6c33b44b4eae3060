using DvdSim.Contracts;
using DvdSim.Model.Catalog;

namespace DvdSim.Model.Tests.Catalog;

public class BaseDataTests
{
    private static readonly Scenario Small = new()
    {
        Seed = 7,
        Catalog = new CatalogSettings { Films = 400, Actors = 120 },
        Stores = new StoreSettings { Count = 3, ClerksPerStore = 2 },
        Customers = new CustomerSettings { Initial = 250 },
    };

    private static readonly BaseData Data = BaseData.Generate(Small);

    private static IEnumerable<(string Table, System.Collections.IEnumerable Rows)> Tables(BaseData d) =>
    [
        ("country", d.Countries), ("city", d.Cities), ("language", d.Languages), ("category", d.Categories),
        ("actor", d.Actors), ("film", d.Films), ("film_actor", d.FilmActors), ("film_category", d.FilmCategories),
        ("address", d.Addresses), ("store", d.Stores), ("staff", d.Staff), ("customer", d.Customers),
        ("customer_profile", d.CustomerProfiles),
    ];

    [Fact]
    public void The_same_scenario_gives_equal_base_data()
    {
        var again = BaseData.Generate(Small);
        foreach (var ((table, rows), (_, otherRows)) in Tables(Data).Zip(Tables(again)))
            Assert.True(rows.Cast<object>().SequenceEqual(otherRows.Cast<object>()), $"{table} differs between two generations");
    }

    [Fact]
    public void A_different_seed_gives_different_base_data()
    {
        var other = BaseData.Generate(Small with { Seed = 8 });
        Assert.Equal(Data.Films.Count, other.Films.Count);
        Assert.True(Data.Films.Zip(other.Films).Count(p => p.First.Title != p.Second.Title) > 380);
        Assert.True(Data.Customers.Zip(other.Customers).Count(p => p.First.LastName != p.Second.LastName) > 200);
        // Reference data does not depend on the seed.
        Assert.Equal(Data.Cities, other.Cities);
    }

    [Fact]
    public void Row_counts_follow_the_scenario()
    {
        Assert.Equal(400, Data.Films.Count);
        Assert.Equal(120, Data.Actors.Count);
        Assert.Equal(3, Data.Stores.Count);
        Assert.Equal(9, Data.Staff.Count);
        Assert.Equal(250, Data.Customers.Count);
        Assert.Equal(250, Data.CustomerProfiles.Count);
        Assert.Equal(3 + 9 + 250, Data.Addresses.Count);
        Assert.Equal(16, Data.Categories.Count);
        Assert.Equal(6, Data.Languages.Count);
        Assert.Equal(Data.Films.Count, Data.FilmCategories.Select(c => c.FilmId).Distinct().Count());
    }

    [Fact]
    public void Ids_run_from_one_without_gaps()
    {
        Assert.Equal(Enumerable.Range(1, 400), Data.Films.Select(f => f.FilmId));
        Assert.Equal(Enumerable.Range(1, 120), Data.Actors.Select(a => a.ActorId));
        Assert.Equal(Enumerable.Range(1, 9), Data.Staff.Select(s => s.StaffId));
        Assert.Equal(Enumerable.Range(1, 250), Data.Customers.Select(c => c.CustomerId));
        Assert.Equal(Enumerable.Range(1, 262), Data.Addresses.Select(a => a.AddressId).Order());
        Assert.Equal(Enumerable.Range(1, Data.Cities.Count), Data.Cities.Select(c => c.CityId));
    }

    [Fact]
    public void Every_reference_points_at_an_existing_row()
    {
        var addresses = Data.Addresses.Select(a => a.AddressId).ToHashSet();
        var cities = Data.Cities.Select(c => c.CityId).ToHashSet();
        var countries = Data.Countries.Select(c => c.CountryId).ToHashSet();
        var staffIds = Data.Staff.Select(s => s.StaffId).ToHashSet();
        var actors = Data.Actors.Select(a => a.ActorId).ToHashSet();

        Assert.All(Data.Cities, c => Assert.Contains(c.CountryId, countries));
        Assert.All(Data.Addresses, a => Assert.Contains(a.CityId, cities));
        Assert.All(Data.Customers, c => Assert.Contains(c.AddressId, addresses));
        Assert.All(Data.Customers, c => Assert.InRange(c.StoreId, 1, 3));
        Assert.All(Data.Staff, s => Assert.Contains(s.AddressId, addresses));
        Assert.All(Data.FilmActors, fa => Assert.Contains(fa.ActorId, actors));
        // Every address has exactly one owner.
        var owners = Data.Stores.Select(s => s.AddressId).Concat(Data.Staff.Select(s => s.AddressId)).Concat(Data.Customers.Select(c => c.AddressId)).ToList();
        Assert.Equal(owners.Count, owners.Distinct().Count());
        Assert.Equal(addresses.Order(), owners.Order());

        foreach (var store in Data.Stores)
        {
            Assert.Contains(store.ManagerStaffId, staffIds);
            var manager = Data.Staff.Single(s => s.StaffId == store.ManagerStaffId);
            Assert.Equal(store.StoreId, manager.StoreId);
            Assert.Equal(3, Data.Staff.Count(s => s.StoreId == store.StoreId));
        }
        Assert.Equal(3, Data.Stores.Select(s => s.ManagerStaffId).Distinct().Count());
        // Customers are spread over all stores.
        Assert.All(Data.Stores, s => Assert.True(Data.Customers.Count(c => c.StoreId == s.StoreId) > 50));
    }

    [Fact]
    public void Every_timestamp_is_simulated_and_before_the_opening()
    {
        var opening = WeekClock.For(Small).OpeningDate.ToDateTime(TimeOnly.MinValue);
        var setup = BaseData.SetupTime(Small);
        Assert.Equal(opening.AddDays(-35).AddHours(9), setup);

        var stamps = Data.Countries.Select(r => r.LastUpdate)
            .Concat(Data.Cities.Select(r => r.LastUpdate)).Concat(Data.Languages.Select(r => r.LastUpdate))
            .Concat(Data.Categories.Select(r => r.LastUpdate)).Concat(Data.Actors.Select(r => r.LastUpdate))
            .Concat(Data.Films.Select(r => r.LastUpdate)).Concat(Data.FilmActors.Select(r => r.LastUpdate))
            .Concat(Data.FilmCategories.Select(r => r.LastUpdate)).Concat(Data.Addresses.Select(r => r.LastUpdate))
            .Concat(Data.Stores.Select(r => r.LastUpdate)).Concat(Data.Staff.Select(r => r.LastUpdate))
            .Concat(Data.Customers.Select(r => r.LastUpdate)).Concat(Data.Customers.Select(r => r.CreateDate));
        Assert.All(stamps, t => Assert.InRange(t, setup, opening));
    }

    [Fact]
    public void Initial_customers_sign_up_in_id_order_during_opening_hours_before_the_opening()
    {
        var opening = WeekClock.For(Small).OpeningDate.ToDateTime(TimeOnly.MinValue);
        var created = Data.Customers.Select(c => c.CreateDate).ToList();
        Assert.Equal(created.Order(), created);
        Assert.All(Data.Customers, c =>
        {
            Assert.InRange(c.CreateDate, opening.AddDays(-28), opening);
            Assert.InRange(TimeOnly.FromDateTime(c.CreateDate), BaseData.OpensAt, BaseData.ClosesAt);
            Assert.Equal(c.CreateDate, c.LastUpdate);
        });
        // Spread over the whole window, not bunched at its start.
        Assert.True(created[^1] > opening.AddDays(-2));
        Assert.True(created[0] < opening.AddDays(-26));
    }

    [Fact]
    public void Base_data_customers_are_the_people_factory_customers()
    {
        foreach (var customer in Data.Customers.Where(c => c.CustomerId % 25 == 0))
        {
            var (again, address) = PeopleFactory.Customer(Small.Seed, customer.CustomerId, customer.StoreId,
                BaseData.CustomerAddressId(Small, customer.CustomerId), BaseData.SignupTime(Small, customer.CustomerId));
            Assert.Equal(customer, again);
            Assert.Equal(address, Data.Addresses.Single(a => a.AddressId == customer.AddressId));
            Assert.Equal(PeopleFactory.Profile(Small, customer.CustomerId),
                Data.CustomerProfiles.Single(p => p.CustomerId == customer.CustomerId));
        }
        // Later sign-ups continue the address sequence.
        Assert.Equal(Data.Addresses.Max(a => a.AddressId) + 1, BaseData.CustomerAddressId(Small, 251));
    }

    [Fact]
    public void Films_span_the_release_years_and_all_genres()
    {
        var openingYear = WeekClock.For(Small).OpeningDate.Year;
        Assert.All(Data.Films, f => Assert.InRange(f.ReleaseYear, Small.Catalog.ReleaseYearMin, openingYear));
        // Recent years are more common than old ones.
        var recent = Data.Films.Count(f => f.ReleaseYear > openingYear - 5);
        var oldest = Data.Films.Count(f => f.ReleaseYear < Small.Catalog.ReleaseYearMin + 5);
        Assert.True(recent > 2 * oldest, $"recent {recent}, oldest {oldest}");
        var genres = Data.Films.Select(f => BaseData.GenreOf(Small.Seed, f.FilmId)).ToHashSet();
        Assert.Equal(16, genres.Count);
        Assert.Equal(Data.Films.Count, Data.Films.Select(f => f.Title).Distinct().Count());
    }

    [Theory]
    [InlineData("stores.count")]
    [InlineData("catalog.films")]
    [InlineData("catalog.release_year_min")]
    [InlineData("start_date")]
    [InlineData("stores.count × (1 + stores.clerks_per_store)")]
    public void Impossible_scenarios_are_rejected_naming_the_key(string key)
    {
        var scenario = key switch
        {
            "stores.count" => Small with { Stores = Small.Stores with { Count = 0 } },
            "catalog.films" => Small with { Catalog = Small.Catalog with { Films = 0 } },
            "catalog.release_year_min" => Small with { Catalog = Small.Catalog with { ReleaseYearMin = 2050 } },
            "start_date" => Small with { StartDate = new DateOnly(2040, 1, 2) },
            _ => Small with { Stores = Small.Stores with { Count = 100, ClerksPerStore = 2 } },
        };
        var error = Assert.Throws<ArgumentException>(() => BaseData.Generate(scenario));
        Assert.Contains(key, error.Message);
    }
}
