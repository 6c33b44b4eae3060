using DvdSim.Contracts;
using DvdSim.Model.Randomness;

namespace DvdSim.Model.Catalog;

/// <summary>
/// Everything the Schema service inserts when a run is created: reference data, actors, the back
/// catalogue, stores and their staff, the initial customers and their profiles. Initial inventory is
/// the Inventory service's. A pure function of the scenario.
/// </summary>
/// <remarks>
/// Simulated timeline: reference data, catalogue, stores and staff are set up
/// <see cref="SetupDaysBeforeOpening"/> days before the opening date at 09:00; the initial customers
/// sign up during the <see cref="SignupDaysBeforeOpening"/> days before it, in id order, within
/// opening hours. Every last_update is one of those simulated times.
/// Address ids: stores 1..S, then staff (staff id t lives at S + t), then customers (see
/// <see cref="CustomerAddressId"/>), so that later sign-ups can continue the sequence.
/// </remarks>
public sealed record BaseData(
    IReadOnlyList<CountryRow> Countries,
    IReadOnlyList<CityRow> Cities,
    IReadOnlyList<LanguageRow> Languages,
    IReadOnlyList<CategoryRow> Categories,
    IReadOnlyList<ActorRow> Actors,
    IReadOnlyList<FilmRow> Films,
    IReadOnlyList<FilmActorRow> FilmActors,
    IReadOnlyList<FilmCategoryRow> FilmCategories,
    IReadOnlyList<AddressRow> Addresses,
    IReadOnlyList<StoreRow> Stores,
    IReadOnlyList<StaffRow> Staff,
    IReadOnlyList<CustomerRow> Customers,
    IReadOnlyList<CustomerProfileRow> CustomerProfiles)
{
    public const int SetupDaysBeforeOpening = 35;
    public const int SignupDaysBeforeOpening = 28;

    /// <summary>Sign-ups of the initial customers happen between these hours.</summary>
    public static readonly TimeOnly OpensAt = new(10, 0);
    public static readonly TimeOnly ClosesAt = new(21, 0);

    public static DateTime SetupTime(Scenario scenario) =>
        WeekClock.For(scenario).OpeningDate.AddDays(-SetupDaysBeforeOpening).ToDateTime(new TimeOnly(9, 0));

    public static int StaffPerStore(Scenario scenario) => 1 + scenario.Stores.ClerksPerStore;

    /// <summary>The manager of a store is its first member of staff; the clerks follow.</summary>
    public static int ManagerStaffId(Scenario scenario, int storeId) => (storeId - 1) * StaffPerStore(scenario) + 1;

    public static int StaffCount(Scenario scenario) => scenario.Stores.Count * StaffPerStore(scenario);

    /// <summary>The address id of a customer: after the stores' and the staff's addresses, in customer id order.</summary>
    public static int CustomerAddressId(Scenario scenario, int customerId) =>
        scenario.Stores.Count + StaffCount(scenario) + customerId;

    /// <summary>The genre (category id) of a back-catalogue film.</summary>
    public static int GenreOf(long seed, int filmId) => new KeyedRandom(seed, "film-genre", filmId).NextInt(1, ReferenceData.CategoryCount);

    /// <summary>Release year of a back-catalogue film: ReleaseYearMin..opening year, recent years more likely.</summary>
    public static int ReleaseYearOf(Scenario scenario, int filmId)
    {
        var newest = WeekClock.For(scenario).OpeningDate.Year;
        var span = newest - scenario.Catalog.ReleaseYearMin + 1;
        var u = new KeyedRandom(scenario.Seed, "film-release-year", filmId).NextDouble();
        return newest - (int)(span * u * u);
    }

    /// <summary>When initial customer <paramref name="customerId"/> signed up: spread over opening hours, increasing with the id.</summary>
    public static DateTime SignupTime(Scenario scenario, int customerId)
    {
        if (customerId < 1 || customerId > scenario.Customers.Initial)
            throw new ArgumentOutOfRangeException(nameof(customerId), customerId, "only initial customers (1..customers.initial) sign up before the opening");
        var first = WeekClock.For(scenario).OpeningDate.AddDays(-SignupDaysBeforeOpening);
        var minutesPerDay = (int)(ClosesAt - OpensAt).TotalMinutes;
        var slot = (double)SignupDaysBeforeOpening * minutesPerDay / scenario.Customers.Initial;
        var jitter = new KeyedRandom(scenario.Seed, "customer-signup", customerId).NextDouble();
        var minute = (long)((customerId - 1 + jitter) * slot);
        return first.AddDays((int)(minute / minutesPerDay)).ToDateTime(OpensAt).AddMinutes(minute % minutesPerDay);
    }

    public static BaseData Generate(Scenario scenario)
    {
        Validate(scenario);
        var seed = scenario.Seed;
        var setup = SetupTime(scenario);

        var actors = Enumerable.Range(1, scenario.Catalog.Actors).Select(id => PeopleFactory.Actor(seed, id, setup)).ToArray();

        var films = Enumerable.Range(1, scenario.Catalog.Films)
            .Select(id => FilmFactory.Create(seed, id, GenreOf(seed, id), ReleaseYearOf(scenario, id), setup, scenario.Catalog))
            .ToArray();

        var addresses = new List<AddressRow>();
        var stores = new List<StoreRow>();
        var staff = new List<StaffRow>();
        for (var storeId = 1; storeId <= scenario.Stores.Count; storeId++)
        {
            var (store, address) = StoreFactory.Create(seed, storeId, ManagerStaffId(scenario, storeId), storeId, setup);
            stores.Add(store);
            addresses.Add(address);
        }
        for (var storeId = 1; storeId <= scenario.Stores.Count; storeId++)
        {
            for (var i = 0; i < StaffPerStore(scenario); i++)
            {
                var staffId = ManagerStaffId(scenario, storeId) + i;
                var (member, address) = PeopleFactory.Staff(seed, staffId, storeId, scenario.Stores.Count + staffId, setup);
                staff.Add(member);
                addresses.Add(address);
            }
        }

        var customers = new List<CustomerRow>();
        var profiles = new List<CustomerProfileRow>();
        for (var customerId = 1; customerId <= scenario.Customers.Initial; customerId++)
        {
            var storeId = new KeyedRandom(seed, "customer-store", customerId).NextInt(1, scenario.Stores.Count);
            var (customer, address) = PeopleFactory.Customer(seed, customerId, storeId,
                CustomerAddressId(scenario, customerId), SignupTime(scenario, customerId));
            customers.Add(customer);
            addresses.Add(address);
            profiles.Add(PeopleFactory.Profile(scenario, customerId));
        }

        return new BaseData(
            ReferenceData.CountryRows(setup),
            ReferenceData.CityRows(setup),
            ReferenceData.LanguageRows(setup),
            ReferenceData.CategoryRows(setup),
            actors,
            films.Select(f => f.Film).ToArray(),
            films.SelectMany(f => f.Actors).ToArray(),
            films.SelectMany(f => f.Categories).ToArray(),
            addresses,
            stores,
            staff,
            customers,
            profiles);
    }

    /// <summary>Rejects what base data cannot be made from, naming the scenario key.</summary>
    private static void Validate(Scenario scenario)
    {
        void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message, nameof(scenario));
        }

        var opening = WeekClock.For(scenario).OpeningDate;
        // last_update is a TIMESTAMP: 1970-01-01 .. 2038-01-19 UTC.
        Require(opening.AddDays(-SetupDaysBeforeOpening) > new DateOnly(1970, 1, 1) && opening < new DateOnly(2038, 1, 1),
            $"start_date: the opening date {opening:yyyy-MM-dd} must lie within 1970-02-05..2037-12-31 (TIMESTAMP range)");
        Require(scenario.Catalog.Films >= 1, "catalog.films must be at least 1");
        Require(scenario.Catalog.Actors is >= 1 and <= 65535, "catalog.actors must be within 1..65535 (actor_id is SMALLINT UNSIGNED)");
        Require(scenario.Catalog.ReleaseYearMin >= 1901 && scenario.Catalog.ReleaseYearMin <= opening.Year,
            $"catalog.release_year_min must be within 1901..{opening.Year} (the opening year)");
        Require(scenario.Stores.Count >= 1, "stores.count must be at least 1");
        Require(scenario.Stores.ClerksPerStore >= 0, "stores.clerks_per_store must not be negative");
        Require(StaffCount(scenario) <= 255,
            "stores.count × (1 + stores.clerks_per_store) must be at most 255 (staff_id is TINYINT UNSIGNED)");
        Require(scenario.Customers.Initial >= 0, "customers.initial must not be negative");
        Require(scenario.Customers.LoyalShare is >= 0 and <= 1, "customers.loyal_share must be within 0..1");
        Require(scenario.Customers.LoyalActivity > 0, "customers.loyal_activity must be positive");
        FilmFactory.Validate(scenario.Catalog);
    }
}
