using DvdSim.Contracts;
using DvdSim.Model.Demand;
using DvdSim.Model.Popularity;
using DvdSim.Model.Randomness;

namespace DvdSim.Model.Shop;

/// <summary>
/// One week of the shop, day by day and in time order: customers sign up and drift away,
/// copies come back (or are declared lost) and go out again. Every random draw comes from a
/// stream keyed by (seed, purpose, week, day) so the week depends only on the state it starts
/// from — never on timing, batching or which process runs it.
/// </summary>
public sealed class WeekSimulation(Scenario scenario)
{
    private const int CustomerAttempts = 6;
    private const int FilmAttempts = 4;

    private readonly long _seed = scenario.Seed;
    private readonly WeekClock _clock = WeekClock.For(scenario);
    private readonly DemandCurve _demand = new(scenario);
    private readonly FilmPopularity _popularity = new(scenario);
    private readonly Scenario _scenario = scenario;

    public WeekClock Clock => _clock;
    public DemandCurve Demand => _demand;
    public FilmPopularity Popularity => _popularity;

    public WeekOutcome Run(ShopState state, int week)
    {
        if (week != state.LastWeek + 1)
            throw new InvalidOperationException($"week {week} cannot follow week {state.LastWeek}");

        var weekStart = _clock.WeekStart(week);
        var weekEnd = _clock.WeekEnd(week);
        var outcome = new WeekOutcome(week) { Seasonality = SeasonalityFor(week) };

        ChurnInactive(state, weekStart, outcome);
        SignUpCustomers(state, week, weekStart, outcome);

        var customers = new WeightedTable<CustomerState>(
            state.Customers.Values.Where(c => c.ChurnedOn is null), c => c.Activity);
        var midWeek = weekStart.AddDays(3);
        var films = new WeightedTable<FilmTerms>(
            state.Films.Values.Where(f => f.ReleasedOn < DateOnly.FromDateTime(weekEnd)).OrderBy(f => f.FilmId),
            f => _popularity.Weight(f.FilmId, f.Boosted, f.ReleasedOn, midWeek));
        var sameWeek = new Dictionary<long, int>(); // rental id → index in NewRentals

        for (var day = 0; day < 7; day++)
        {
            var date = weekStart.AddDays(day).ToDateTime(TimeOnly.MinValue);
            var random = new KeyedRandom(_seed, "rentals", week, day);
            var count = _demand.RentalsOnDay(_seed, week, day);
            var times = new DateTime[count];
            for (var i = 0; i < count; i++) times[i] = date + ReturnPlan.TimeOfDay(random);
            Array.Sort(times);

            foreach (var at in times)
            {
                SettleUntil(state, at, outcome, sameWeek);
                if (!TryRent(state, at, random, customers, films, outcome, sameWeek)) outcome.UnmetDemand++;
            }
            SettleUntil(state, date.AddDays(1), outcome, sameWeek);
        }

        outcome.ActiveCustomers = state.Customers.Values.Count(c => c.ChurnedOn is null);
        outcome.CheckedOut = state.OpenRentals.Count;
        state.LastWeek = week;
        return outcome;
    }

    public SeasonalityEntry SeasonalityFor(int week)
    {
        var mid = _clock.WeekStart(week).AddDays(3);
        return new SeasonalityEntry(week, _clock.WeekStart(week), mid.Month, _demand.Seasonal(mid),
            Math.Round(_demand.Growth(week), 6), _demand.Shock(week), "", (int)Math.Round(_demand.ExpectedInWeek(week)));
    }

    private void ChurnInactive(ShopState state, DateOnly weekStart, WeekOutcome outcome)
    {
        var horizon = weekStart.AddDays(-7 * _scenario.Customers.ChurnAfterInactiveWeeks).ToDateTime(TimeOnly.MinValue);
        var recentHorizon = weekStart.AddDays(-_scenario.Customers.NoRepeatDays).ToDateTime(TimeOnly.MinValue);
        foreach (var customer in state.Customers.Values)
        {
            // Forget films older than the no-repeat window: keeps memory bounded.
            if (customer.RecentFilms.Count > 0)
                foreach (var film in customer.RecentFilms.Where(p => p.Value < recentHorizon).Select(p => p.Key).ToList())
                    customer.RecentFilms.Remove(film);

            if (customer.ChurnedOn is not null || customer.Loyal || customer.OpenRentals > 0) continue;
            if (customer.LastActivityAt < horizon)
            {
                customer.ChurnedOn = weekStart;
                outcome.Churned.Add(new Churn(customer.Id, weekStart));
            }
        }
    }

    private void SignUpCustomers(ShopState state, int week, DateOnly weekStart, WeekOutcome outcome)
    {
        var count = new KeyedRandom(_seed, "sign-ups", week).Poisson(_scenario.Customers.NewPerWeek);
        var stores = state.StaffByStore.Keys.ToArray();
        for (var i = 0; i < count; i++)
        {
            var id = state.NextCustomerId++;
            var addressId = state.NextAddressId++;
            var random = new KeyedRandom(_seed, "sign-up", id);
            var storeId = stores[random.NextInt(stores.Length)];
            var createdAt = weekStart.AddDays(random.NextInt(7)).ToDateTime(TimeOnly.MinValue) + ReturnPlan.TimeOfDay(random);
            var profile = CustomerProfiles.Draw(_seed, _scenario.Customers, id);
            state.AddCustomer(new CustomerState(id, storeId, createdAt, profile.Activity, profile.Loyal, profile.Segment));
            outcome.SignUps.Add(new SignUp(id, addressId, storeId, createdAt, profile));
        }
    }

    private bool TryRent(ShopState state, DateTime at, KeyedRandom random, WeightedTable<CustomerState> customers,
        WeightedTable<FilmTerms> films, WeekOutcome outcome, Dictionary<long, int> sameWeek)
    {
        if (customers.Count == 0 || films.Count == 0) return false;
        var settings = _scenario.Customers;
        for (var c = 0; c < CustomerAttempts; c++)
        {
            var customer = customers.Pick(random);
            if (customer.CreatedAt > at || customer.ChurnedOn is not null || customer.OpenRentals >= settings.MaxSimultaneousRentals)
                continue;
            var noRepeatSince = at.AddDays(-settings.NoRepeatDays);
            for (var f = 0; f < FilmAttempts; f++)
            {
                var film = films.Pick(random);
                if (film.ReleasedOn.ToDateTime(TimeOnly.MinValue) > at) continue;
                if (customer.RecentFilms.TryGetValue(film.FilmId, out var last) && last > noRepeatSince) continue;
                var copy = state.PickCopy(film.FilmId, customer.StoreId, at, _scenario.Popularity.NewerCopyPreference, random);
                if (copy is null) continue;

                var staffs = state.StaffByStore[customer.StoreId];
                var rentalId = state.NextRentalId++;
                var plan = ReturnPlan.For(_seed, _scenario.Returns, rentalId, at, film.RentalDuration);
                var rental = new OpenRental(rentalId, customer.Id, copy, staffs[random.NextInt(staffs.Length)], at, film, plan);
                state.CheckOut(rental);
                customer.OpenRentals++;
                customer.LastRentalAt = at;
                customer.RecentFilms[film.FilmId] = at;
                sameWeek[rentalId] = outcome.NewRentals.Count;
                outcome.NewRentals.Add(new RentalRecord(rentalId, at, copy.InventoryId, customer.Id, rental.StaffId, film.FilmId, null));
                outcome.Events.Add(EventFor(rental, RentalEventKind.Rented, at));
                return true;
            }
            return false; // the customer found nothing they wanted on the shelf and left
        }
        return false;
    }

    /// <summary>Brings back (or writes off) every rental due before <paramref name="until"/>.</summary>
    private static void SettleUntil(ShopState state, DateTime until, WeekOutcome outcome, Dictionary<long, int> sameWeek)
    {
        while (state.Schedule.Count > 0 && state.Schedule.Min.At < until)
        {
            var (at, rentalId) = state.Schedule.Min;
            var rental = state.OpenRentals[rentalId];
            var customer = state.Customers[rental.CustomerId];
            customer.OpenRentals--;
            if (rental.Plan.Outcome == ReturnOutcome.NeverReturned)
            {
                state.WriteOff(rental);
                outcome.Lost.Add(new LossRecord(rentalId, rental.Copy.InventoryId, at, rental.Film.ReplacementCost));
                outcome.Events.Add(EventFor(rental, RentalEventKind.Lost, at));
                continue;
            }
            state.CheckIn(rental);
            var record = new RentalRecord(rentalId, rental.RentalDate, rental.Copy.InventoryId, rental.CustomerId,
                rental.StaffId, rental.Film.FilmId, at);
            if (sameWeek.TryGetValue(rentalId, out var index)) outcome.NewRentals[index] = record;
            else outcome.Returned.Add(record);
            outcome.Events.Add(EventFor(rental, RentalEventKind.Returned, at));
        }
    }

    private static RentalEvent EventFor(OpenRental rental, RentalEventKind kind, DateTime at) =>
        new(rental.RentalId, rental.CustomerId, rental.StaffId, kind, at, rental.RentalDate,
            rental.Film.RentalRate, rental.Film.RentalDuration, rental.Film.ReplacementCost);
}

/// <summary>Picks items with probability proportional to their weight (cumulative sums + binary search).</summary>
public sealed class WeightedTable<T>
{
    private readonly T[] _items;
    private readonly double[] _cumulative;

    public WeightedTable(IEnumerable<T> items, Func<T, double> weight)
    {
        var list = new List<T>();
        var sums = new List<double>();
        var total = 0.0;
        foreach (var item in items)
        {
            var w = weight(item);
            if (w <= 0) continue;
            total += w;
            list.Add(item);
            sums.Add(total);
        }
        _items = list.ToArray();
        _cumulative = sums.ToArray();
    }

    public int Count => _items.Length;

    public T Pick(KeyedRandom random)
    {
        var target = random.NextDouble() * _cumulative[^1];
        var index = Array.BinarySearch(_cumulative, target);
        if (index < 0) index = ~index;
        return _items[Math.Min(index, _items.Length - 1)];
    }
}
