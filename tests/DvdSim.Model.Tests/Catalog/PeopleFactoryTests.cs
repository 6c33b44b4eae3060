using DvdSim.Contracts;
using DvdSim.Model.Catalog;
using DvdSim.Model.Shop;

namespace DvdSim.Model.Tests.Catalog;

public class PeopleFactoryTests
{
    private static readonly DateTime At = new(2001, 9, 3, 14, 30, 0);

    [Fact]
    public void A_customer_is_the_same_whoever_creates_it_and_in_whatever_order()
    {
        var direct = PeopleFactory.Customer(42, 1234, 2, 1300, At);
        // Another creator, after making other people with the same seed first.
        for (var id = 1; id < 50; id++) PeopleFactory.Customer(42, id, 1, id, At);
        PeopleFactory.Staff(42, 3, 2, 5, At);
        var later = PeopleFactory.Customer(42, 1234, 2, 1300, At);

        Assert.Equal(direct, later);
        Assert.Equal(1234, direct.Customer.CustomerId);
        Assert.Equal(1300, direct.Customer.AddressId);
        Assert.Equal(1300, direct.Address.AddressId);
        Assert.Equal(2, direct.Customer.StoreId);
        Assert.Equal(At, direct.Customer.CreateDate);
        Assert.Equal(At, direct.Customer.LastUpdate);
        Assert.Equal(At, direct.Address.LastUpdate);
    }

    [Fact]
    public void Different_seeds_or_ids_give_different_people()
    {
        var names = Enumerable.Range(1, 100).Select(id => PeopleFactory.Customer(42, id, 1, id, At).Customer)
            .Select(c => (c.FirstName, c.LastName)).ToList();
        var otherSeed = Enumerable.Range(1, 100).Select(id => PeopleFactory.Customer(43, id, 1, id, At).Customer)
            .Select(c => (c.FirstName, c.LastName)).ToList();
        Assert.True(names.Distinct().Count() >= 95, "names barely vary with the id");
        Assert.True(names.Zip(otherSeed).Count(p => p.First != p.Second) >= 95, "names barely vary with the seed");
    }

    [Fact]
    public void Customers_live_near_their_store_and_fit_sakila_columns()
    {
        var storeCity = StoreFactory.CityOf(42, 1);
        var inHomeCity = 0;
        for (var id = 1; id <= 3000; id++)
        {
            var (customer, address) = PeopleFactory.Customer(42, id, 1, id + 10, At);
            var city = ReferenceData.CityById(address.CityId);
            Assert.Equal(storeCity.CountryId, city.CountryId);
            Assert.Equal(city.District, address.District);
            if (city.CityId == storeCity.CityId) inHomeCity++;

            Assert.Equal(customer.FirstName.ToUpperInvariant(), customer.FirstName);
            Assert.InRange(customer.FirstName.Length, 1, 45);
            Assert.InRange(customer.LastName.Length, 1, 45);
            Assert.InRange(customer.Email.Length, 3, 50);
            Assert.Contains("@", customer.Email);
            Assert.True(customer.Active);
            Assert.InRange(address.Address.Length, 1, 50);
            Assert.True(address.Address2 is null || address.Address2.Length <= 50);
            Assert.InRange(address.District.Length, 1, 20);
            Assert.InRange(address.PostalCode!.Length, 1, 10);
            Assert.InRange(address.Phone.Length, 1, 20);
            Assert.All(address.Phone, c => Assert.True(char.IsAsciiDigit(c), address.Phone));
        }
        // HomeCityShare of them in the store's own city, plus those who drew it among the neighbours.
        Assert.InRange(inHomeCity / 3000.0, PeopleFactory.HomeCityShare, PeopleFactory.HomeCityShare + 0.15);
    }

    [Fact]
    public void Staff_have_sakila_style_logins()
    {
        for (var id = 1; id <= 200; id++)
        {
            var (staff, address) = PeopleFactory.Staff(42, id, 1, 100 + id, At);
            Assert.Equal(staff, PeopleFactory.Staff(42, id, 1, 100 + id, At).Staff);
            Assert.Equal(id, staff.StaffId);
            Assert.Equal(100 + id, staff.AddressId);
            Assert.InRange(staff.Username.Length, 1, 16);
            Assert.EndsWith(id.ToString(), staff.Username);
            Assert.Matches("^[0-9a-f]{40}$", staff.Password);
            Assert.EndsWith("@sakilastaff.com", staff.Email);
            Assert.InRange(staff.Email.Length, 1, 50);
            Assert.Equal(StoreFactory.CityOf(42, 1).CityId, address.CityId);
            Assert.Equal(At, staff.LastUpdate);
        }
    }

    [Fact]
    public void Stores_of_a_chain_share_a_country_and_take_distinct_cities()
    {
        var cities = Enumerable.Range(1, 8).Select(s => StoreFactory.CityOf(42, s)).ToList();
        Assert.Single(cities.Select(c => c.CountryId).Distinct());
        Assert.Contains(cities[0].CountryId, ReferenceData.ChainCountryIds);
        Assert.Equal(8, cities.Distinct().Count());
        Assert.Equal(cities, Enumerable.Range(1, 8).Select(s => StoreFactory.CityOf(42, s)));

        var countries = Enumerable.Range(1, 40).Select(seed => StoreFactory.CityOf(seed, 1).CountryId).Distinct().Count();
        Assert.True(countries > 1, "the seed never moves the chain");
    }

    [Fact]
    public void Profiles_follow_the_loyal_share_and_agree_with_the_shop_model()
    {
        var scenario = new Scenario { Seed = 42, Customers = new CustomerSettings { LoyalShare = 0.25, LoyalActivity = 2.5 } };
        var profiles = Enumerable.Range(1, 4000).Select(id => PeopleFactory.Profile(scenario, id)).ToList();
        Assert.InRange(profiles.Count(p => p.Loyal) / 4000.0, 0.22, 0.28);
        Assert.All(profiles, p =>
        {
            var drawn = CustomerProfiles.Draw(scenario, p.CustomerId);
            Assert.Equal((drawn.Segment, drawn.Loyal, drawn.Activity), (p.Segment, p.Loyal, p.Activity));
            Assert.Equal(p.Loyal ? "loyal" : "regular", p.Segment);
            Assert.True(p.Activity > 0);
            Assert.Null(p.ChurnedOn);
        });
        // Loyal customers rent LoyalActivity times as often on average.
        var loyalMean = profiles.Where(p => p.Loyal).Average(p => p.Activity);
        var regularMean = profiles.Where(p => !p.Loyal).Average(p => p.Activity);
        Assert.InRange(loyalMean / regularMean, 2.0, 3.0);
    }

    [Fact]
    public void Actors_are_upper_case_and_keyed_by_id()
    {
        var actor = PeopleFactory.Actor(42, 17, At);
        Assert.Equal(actor, PeopleFactory.Actor(42, 17, At));
        Assert.NotEqual(actor, PeopleFactory.Actor(42, 18, At) with { ActorId = 17 });
        Assert.Equal(actor.LastName.ToUpperInvariant(), actor.LastName);
        Assert.InRange(actor.FirstName.Length, 1, 45);
    }
}
