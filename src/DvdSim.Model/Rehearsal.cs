using DvdSim.Contracts;
using DvdSim.Model.Billing;
using DvdSim.Model.Catalog;
using DvdSim.Model.Popularity;
using DvdSim.Model.Shop;
using DvdSim.Model.Stock;

namespace DvdSim.Model;

/// <summary>Totals of a run, as the coordinator reports them at the end.</summary>
public sealed record RunTotals(int Weeks, long Rentals, long Returns, long LateReturns, long Lost, long Payments, decimal Revenue,
    int Customers, int ActiveCustomers, int Films, int Copies, int CopiesAdded, int CheckedOut, long UnmetDemand,
    DateTime? FirstRental, DateTime? LastRental, long LateFees = 0, decimal Receivables = 0)
{
    public double AverageRentalsPerWeek => Weeks == 0 ? 0 : Math.Round(Rentals / (double)Weeks, 1);
}

/// <summary>
/// The whole business played in memory, with the same model the services use and no I/O:
/// the dry run's expected volumes, and a reference the end-to-end tests compare a real run with.
/// </summary>
public static class Rehearsal
{
    public static RunTotals Run(Scenario scenario, int weeks, Action<int, RunTotals>? onWeek = null, Action<WeekOutcome>? onOutcome = null)
    {
        var data = BaseData.Generate(scenario);
        var stock = new StockPlan(scenario);
        var popularity = new FilmPopularity(scenario);
        var simulation = new WeekSimulation(scenario);
        var policy = LateFeePolicy.For(scenario);
        var state = new ShopState();

        foreach (var film in data.Films)
            state.AddFilm(new FilmTerms(film.FilmId, film.RentalRate, film.RentalDuration, film.ReplacementCost, DateOnly.MinValue, false));
        foreach (var store in data.Staff.GroupBy(s => s.StoreId).OrderBy(g => g.Key))
            state.StaffByStore[store.Key] = store.Select(s => s.StaffId).Order().ToArray();
        var profiles = data.CustomerProfiles.ToDictionary(p => p.CustomerId);
        foreach (var c in data.Customers)
        {
            var p = profiles[c.CustomerId];
            state.AddCustomer(new CustomerState(c.CustomerId, c.StoreId, c.CreateDate, p.Activity, p.Loyal, p.Segment));
        }
        state.NextCustomerId = data.Customers.Max(c => c.CustomerId) + 1;
        state.NextAddressId = data.Addresses.Max(a => a.AddressId) + 1;

        var stores = data.Stores.Select(s => s.StoreId).Order().ToArray();
        var nextInventoryId = 1;
        var nextFilmId = data.Films.Max(f => f.FilmId) + 1;
        var released = new List<StockedFilm>(data.Films.Select(f => new StockedFilm(f.FilmId, DateOnly.MinValue, false)));
        long rentals = 0, returns = 0, late = 0, lost = 0, unmet = 0;
        var books = new BillTotals();
        int copiesAdded = 0, checkedOut = 0, active = 0;
        DateTime? first = null, last = null;

        for (var week = 1; week <= weeks; week++)
        {
            var copies = new List<PlannedCopy>();
            if (week == 1) copies.AddRange(stock.OpeningStock(data.Films.Select(f => f.FilmId), stores));
            foreach (var release in stock.Releases(week, nextFilmId))
            {
                var film = FilmFactory.Create(scenario.Seed, release.FilmId, release.CategoryId, release.ReleasedOn, scenario.Catalog).Film;
                state.AddFilm(new FilmTerms(film.FilmId, film.RentalRate, film.RentalDuration, film.ReplacementCost,
                    release.ReleasedOn, popularity.IsBoosted(film.FilmId)));
                released.Add(new StockedFilm(film.FilmId, release.ReleasedOn, release.Boosted));
                copies.AddRange(stock.ReleaseCopies(release, stores));
                nextFilmId++;
            }
            copies.AddRange(stock.Restock(week, released, stores));
            if (week > 1) copiesAdded += copies.Count;
            else copiesAdded += copies.Count(c => c.Reason != "opening stock");
            foreach (var copy in copies) state.AddCopy(nextInventoryId++, copy.FilmId, copy.StoreId, copy.AcquiredAt);

            var outcome = simulation.Run(state, week);
            onOutcome?.Invoke(outcome);
            rentals += outcome.NewRentals.Count;
            lost += outcome.Lost.Count;
            unmet += outcome.UnmetDemand;
            foreach (var e in outcome.Events)
            {
                if (e.Kind == RentalEventKind.Returned)
                {
                    returns++;
                    if (ReturnPlan.DaysLate(e.RentalDate, e.At, e.RentalDuration) > 0) late++;
                }
                if (policy.ChargeFor(e) is { } charge) books.Add(charge);
                if (LateFeeEntry.For(policy, e) is { } fee) books.Add(fee);
            }
            if (outcome.NewRentals.Count > 0)
            {
                first ??= outcome.NewRentals[0].RentalDate;
                last = outcome.NewRentals.Max(r => r.RentalDate);
            }
            checkedOut = outcome.CheckedOut;
            active = outcome.ActiveCustomers;
            onWeek?.Invoke(week, Totals());
        }
        return Totals();

        RunTotals Totals() => new(state.LastWeek, rentals, returns, late, lost, books.Payments, books.Revenue, state.Customers.Count, active,
            state.Films.Count, state.Copies.Values.Count(c => !c.Lost), copiesAdded, checkedOut, unmet, first, last, books.LateFees,
            books.ReceivablesChange);
    }
}
