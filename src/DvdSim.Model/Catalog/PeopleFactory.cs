using System.Security.Cryptography;
using System.Text;
using Bogus;
using DvdSim.Contracts;
using DvdSim.Model.Randomness;
using DvdSim.Model.Shop;

namespace DvdSim.Model.Catalog;

/// <summary>
/// People of the simulation: actors, staff and customers (with their addresses). Every value is a
/// function of (seed, purpose, id) and the caller's arguments, so the same customer id yields the
/// same person whichever service creates it. Names are upper case for actors and customers and
/// mixed case for staff, as in Sakila.
/// </summary>
public static class PeopleFactory
{
    /// <summary>Share of customers who live in their store's own city; the others live elsewhere in its country.</summary>
    public const double HomeCityShare = 0.6;

    public static ActorRow Actor(long seed, int actorId, DateTime addedAt)
    {
        var faker = FakerFor(seed, "actor", actorId);
        return new ActorRow(actorId, faker.Name.FirstName().ToUpperInvariant(), faker.Name.LastName().ToUpperInvariant(), addedAt);
    }

    /// <summary>
    /// A customer of <paramref name="storeId"/> who signed up at <paramref name="createdAt"/> (create_date and
    /// last_update), living at the new address <paramref name="addressId"/> near the store.
    /// </summary>
    public static (CustomerRow Customer, AddressRow Address) Customer(long seed, int customerId, int storeId, int addressId, DateTime createdAt)
    {
        var faker = FakerFor(seed, "customer", customerId);
        var firstName = faker.Name.FirstName();
        var lastName = faker.Name.LastName();
        var email = Fit(faker.Internet.Email(firstName, lastName), 50, $"{firstName[0]}.{lastName}{customerId}@example.com");

        var storeCity = StoreFactory.CityOf(seed, storeId);
        var neighbours = ReferenceData.CitiesIn(storeCity.CountryId);
        var random = new KeyedRandom(seed, "customer-city", customerId);
        var city = random.Chance(HomeCityShare) ? storeCity : random.Pick(neighbours);

        var customer = new CustomerRow(customerId, storeId, firstName.ToUpperInvariant(), lastName.ToUpperInvariant(),
            email, addressId, Active: true, createdAt, createdAt);
        return (customer, Addresses.Create(faker, addressId, city, createdAt));
    }

    /// <summary>A member of staff of <paramref name="storeId"/> hired at <paramref name="hiredAt"/>, living in the store's city.</summary>
    public static (StaffRow Staff, AddressRow Address) Staff(long seed, int staffId, int storeId, int addressId, DateTime hiredAt)
    {
        var faker = FakerFor(seed, "staff", staffId);
        var firstName = faker.Name.FirstName();
        var lastName = faker.Name.LastName();
        var email = Fit($"{firstName}.{lastName}@sakilastaff.com", 50, $"staff{staffId}@sakilastaff.com");
        var username = Fit(new string(firstName.Where(char.IsLetter).ToArray()).ToLowerInvariant() + staffId, 16, $"staff{staffId}");
        // Sakila keeps a SHA-1 hex digest of the password.
        var password = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(faker.Internet.Password(12))));

        var staff = new StaffRow(staffId, firstName, lastName, addressId, email, storeId, Active: true, username, password, hiredAt);
        return (staff, Addresses.Create(faker, addressId, StoreFactory.CityOf(seed, storeId), hiredAt));
    }

    /// <summary>
    /// How a customer behaves, as the row to insert: loyal (never churns, rents LoyalActivity times as
    /// often) with probability LoyalShare, else regular; the shop model's personal appetite is folded
    /// into the activity. Delegates to <see cref="CustomerProfiles.Draw"/> so that initial customers and
    /// weekly sign-ups are drawn by one rule.
    /// </summary>
    public static CustomerProfileRow Profile(Scenario scenario, int customerId)
    {
        var profile = CustomerProfiles.Draw(scenario, customerId);
        return new CustomerProfileRow(customerId, profile.Segment, profile.Loyal, profile.Activity, ChurnedOn: null);
    }

    /// <summary>
    /// Bogus reseeded for one entity. A Faker costs about a millisecond to build, so each thread
    /// keeps one and gives it a fresh Randomizer: what it produces depends on that seed alone.
    /// </summary>
    internal static Faker FakerFor(long seed, string purpose, int id)
    {
        var faker = ThreadFaker ??= new Faker("en");
        faker.Random = new Randomizer(new KeyedRandom(seed, purpose, id).NextSeed());
        return faker;
    }

    [ThreadStatic] private static Faker? ThreadFaker;

    private static string Fit(string value, int maxLength, string fallback) =>
        value.Length <= maxLength ? value : fallback[..Math.Min(fallback.Length, maxLength)];
}

/// <summary>Stores: where each is (a pure function of seed and store id) and its row.</summary>
public static class StoreFactory
{
    /// <summary>
    /// The city of a store. The chain lives in one country chosen by the seed; its stores take that
    /// country's cities in a seed-shuffled order (two stores share a city only when there are more
    /// stores than cities).
    /// </summary>
    public static City CityOf(long seed, int storeId)
    {
        if (storeId < 1) throw new ArgumentOutOfRangeException(nameof(storeId), storeId, "store ids start at 1");
        var random = new KeyedRandom(seed, "chain-country");
        var cities = ReferenceData.CitiesIn(random.Pick(ReferenceData.ChainCountryIds)).ToArray();
        for (var i = cities.Length - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (cities[i], cities[j]) = (cities[j], cities[i]);
        }
        return cities[(storeId - 1) % cities.Length];
    }

    public static (StoreRow Store, AddressRow Address) Create(long seed, int storeId, int managerStaffId, int addressId, DateTime openedAt)
    {
        var faker = PeopleFactory.FakerFor(seed, "store", storeId);
        return (new StoreRow(storeId, managerStaffId, addressId, openedAt),
            Addresses.Create(faker, addressId, CityOf(seed, storeId), openedAt));
    }
}

internal static class Addresses
{
    public static AddressRow Create(Faker faker, int addressId, City city, DateTime at)
    {
        var country = ReferenceData.CountryById(city.CountryId);
        var street = faker.Address.StreetAddress();
        if (street.Length > 50) street = street[..50];
        var address2 = faker.Random.Bool(0.15f) ? faker.Address.SecondaryAddress() : null;
        return new AddressRow(addressId, street, address2, city.District, city.CityId,
            faker.Random.Replace(country.PostalFormat), faker.Random.Replace(country.PhoneFormat), at);
    }
}
