using DvdSim.Contracts;
using DvdSim.Model;
using DvdSim.Model.Randomness;
using DvdSim.Model.Shop;
using DvdSim.Model.Stock;

namespace DvdSim.Model.Tests.Shop;

/// <summary>A shop at its opening, built from the model alone (no database), for simulation tests.</summary>
public static class TestShop
{
    public static ShopState Open(Scenario scenario)
    {
        var state = new ShopState();
        var clock = WeekClock.For(scenario);
        for (var filmId = 1; filmId <= scenario.Catalog.Films; filmId++)
        {
            var r = new KeyedRandom(scenario.Seed, "test-film", filmId);
            state.AddFilm(new FilmTerms(filmId, 0.99m + r.NextInt(0, 4) * 1m, r.NextInt(3, 7), 9.99m + r.NextInt(0, 20), DateOnly.MinValue, false));
        }
        var stores = Enumerable.Range(1, scenario.Stores.Count).ToArray();
        var staffId = 1;
        foreach (var store in stores) state.StaffByStore[store] = [staffId++, staffId++];
        var inventoryId = 1;
        foreach (var copy in new StockPlan(scenario).OpeningStock(state.Films.Keys, stores))
            state.AddCopy(inventoryId++, copy.FilmId, copy.StoreId, copy.AcquiredAt);
        for (var id = 1; id <= scenario.Customers.Initial; id++)
        {
            var profile = CustomerProfiles.Draw(scenario, id);
            var created = clock.OpeningDate.AddDays(-1 - id % 30).ToDateTime(new TimeOnly(12, 0));
            state.AddCustomer(new CustomerState(id, stores[id % stores.Length], created, profile.Activity, profile.Loyal, profile.Segment));
        }
        state.NextCustomerId = scenario.Customers.Initial + 1;
        state.NextAddressId = scenario.Customers.Initial + 100;
        return state;
    }

    public static List<WeekOutcome> Simulate(Scenario scenario, int weeks, ShopState? state = null)
    {
        state ??= Open(scenario);
        var simulation = new WeekSimulation(scenario);
        var outcomes = new List<WeekOutcome>();
        for (var w = state.LastWeek + 1; w <= weeks; w++) outcomes.Add(simulation.Run(state, w));
        return outcomes;
    }
}
