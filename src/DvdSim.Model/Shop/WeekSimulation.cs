using DvdSim.Contracts;
using DvdSim.Model.Billing;
using DvdSim.Model.Demand;
using DvdSim.Model.Popularity;
using DvdSim.Model.Randomness;

namespace DvdSim.Model.Shop;

/// <summary>
/// One week of the shop, day by day and in time order: customers sign up, drift away or come
/// back, copies come back (late, damaged, or never) and go out again, late fees get paid or
/// written off. Every random draw comes from a stream keyed by (seed, purpose, week, day, id), so
/// the week depends only on the state it starts from — never on timing, batching or which
/// process runs it.
/// </summary>
public sealed class WeekSimulation(Scenario scenario)
{
    private const int CustomerAttempts = 6;
    private const int FilmAttempts = 4;

    private readonly long _seed = scenario.Seed;
    private readonly Scenario _scenario = scenario;

    public WeekClock Clock { get; } = WeekClock.For(scenario);
    public DemandCurve Demand { get; } = new(scenario);
    public FilmPopularity Popularity { get; } = new(scenario);
    public BusinessCalendar Calendar { get; } = new(scenario);
    public CustomerRules Rules { get; } = new(scenario);
    public LateFeePolicy Fees { get; } = LateFeePolicy.For(scenario);

    public WeekOutcome Run(ShopState state, int week)
    {
        if (week != state.LastWeek + 1)
            throw new InvalidOperationException($"week {week} cannot follow week {state.LastWeek}");

        var weekStart = Clock.WeekStart(week);
        var weekEnd = Clock.WeekEnd(week);
        var phase = Calendar.PhaseOf(week);
        var outcome = new WeekOutcome(week) { Seasonality = SeasonalityFor(week) };

        Attrition(state, week, weekStart, phase, outcome);
        SignUpCustomers(state, week, weekStart, phase, outcome);

        var customers = new WeightedTable<CustomerState>(state.Customers.Values.Where(c => c.Active), c => c.Activity);
        var midWeek = weekStart.AddDays(3);
        var films = new WeightedTable<FilmTerms>(
            state.Films.Values.Where(f => f.ReleasedOn < DateOnly.FromDateTime(weekEnd)).OrderBy(f => f.FilmId),
            f => Popularity.Weight(f.FilmId, f.Boosted, f.ReleasedOn, midWeek));
        var sameWeek = new Dictionary<long, int>(); // rental id → index in NewRentals

        for (var day = 0; day < 7; day++)
        {
            var date = weekStart.AddDays(day).ToDateTime(TimeOnly.MinValue);
            var random = new KeyedRandom(_seed, "rentals", week, day);
            var count = Demand.RentalsOnDay(_seed, week, day, phase.VolumeMultiplier);
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

        outcome.ActiveCustomers = state.Customers.Values.Count(c => c.Active);
        outcome.CheckedOut = state.OpenRentals.Count;
        state.LastWeek = week;
        return outcome;
    }

    public SeasonalityEntry SeasonalityFor(int week)
    {
        var mid = Clock.WeekStart(week).AddDays(3);
        var phase = Calendar.PhaseOf(week);
        return new SeasonalityEntry(week, Clock.WeekStart(week), mid.Month, Demand.Seasonal(mid),
            Math.Round(Demand.Growth(week), 6), Demand.Shock(week) * phase.VolumeMultiplier, phase.Name,
            (int)Math.Round(Demand.ExpectedInWeek(week, phase.VolumeMultiplier)));
    }

    /// <summary>Customers leave (inactivity, end of their lifetime, or the segment's weekly churn) or come back.</summary>
    private void Attrition(ShopState state, int week, DateOnly weekStart, BusinessPhase phase, WeekOutcome outcome)
    {
        var start = weekStart.ToDateTime(TimeOnly.MinValue);
        var horizon = weekStart.AddDays(-7 * _scenario.Customers.ChurnAfterInactiveWeeks).ToDateTime(TimeOnly.MinValue);
        foreach (var customer in state.Customers.Values)
        {
            if (!customer.Active)
            {
                if (phase.ReactivationShare > 0 &&
                    new KeyedRandom(_seed, "reactivation", week, customer.Id).Chance(phase.ReactivationShare))
                {
                    customer.ChurnedOn = null;
                    customer.ReactivatedAt = start;
                    outcome.Reactivated.Add(new Reactivation(customer.Id, start));
                }
                continue;
            }
            if (customer.OpenRentals > 0 || customer.CreatedAt >= start) continue;

            string? reason = null;
            if (!customer.Loyal && customer.LastActivityAt < horizon) reason = "inactive";
            else if (Rules.SpellEnd(customer) is { } end && end < start) reason = "lifetime";
            else if (Rules.WeeklyChurn(customer) * phase.ChurnMultiplier is var hazard && hazard > 0 &&
                     new KeyedRandom(_seed, "weekly-churn", week, customer.Id).Chance(hazard)) reason = "left";
            if (reason is null) continue;
            customer.ChurnedOn = weekStart;
            outcome.Churned.Add(new Churn(customer.Id, weekStart, reason));
        }
    }

    private void SignUpCustomers(ShopState state, int week, DateOnly weekStart, BusinessPhase phase, WeekOutcome outcome)
    {
        var count = new KeyedRandom(_seed, "sign-ups", week).Poisson(_scenario.Customers.NewPerWeek * phase.SignUpMultiplier);
        var stores = state.StaffByStore.Keys.ToArray();
        for (var i = 0; i < count; i++)
        {
            var id = state.NextCustomerId++;
            var addressId = state.NextAddressId++;
            var random = new KeyedRandom(_seed, "sign-up", id);
            var storeId = stores[random.NextInt(stores.Length)];
            var createdAt = weekStart.AddDays(random.NextInt(7)).ToDateTime(TimeOnly.MinValue) + ReturnPlan.TimeOfDay(random);
            var profile = CustomerProfiles.Draw(_scenario, id);
            state.AddCustomer(new CustomerState(id, storeId, createdAt, profile.Activity, profile.Loyal, profile.Segment));
            outcome.SignUps.Add(new SignUp(id, addressId, storeId, createdAt, profile));
        }
    }

    private bool TryRent(ShopState state, DateTime at, KeyedRandom random, WeightedTable<CustomerState> customers,
        WeightedTable<FilmTerms> films, WeekOutcome outcome, Dictionary<long, int> sameWeek)
    {
        if (customers.Count == 0 || films.Count == 0) return false;
        var suspendAbove = _scenario.LateFeePayments.SuspendAboveBalance;
        for (var c = 0; c < CustomerAttempts; c++)
        {
            var customer = customers.Pick(random);
            if (customer.CreatedAt > at || !customer.Active || customer.OpenRentals >= Rules.MaxRentals(customer)) continue;
            if (suspendAbove > 0 && customer.Outstanding > suspendAbove) continue; // suspended until they pay
            var noRepeatSince = at.AddDays(-_scenario.Customers.NoRepeatDays);
            for (var f = 0; f < FilmAttempts; f++)
            {
                var film = films.Pick(random);
                if (film.ReleasedOn.ToDateTime(TimeOnly.MinValue) > at) continue;
                if (customer.RentedSince(film.FilmId, noRepeatSince)) continue;
                var copy = state.PickCopy(film.FilmId, customer.StoreId, at, _scenario.Popularity.NewerCopyPreference, random);
                if (copy is null) continue;

                var staffs = state.StaffByStore[customer.StoreId];
                var rentalId = state.NextRentalId++;
                var plan = ReturnPlan.For(_seed, _scenario.Returns, rentalId, at, film.RentalDuration);
                var rental = new OpenRental(rentalId, customer.Id, copy, staffs[random.NextInt(staffs.Length)], at, film, plan);
                state.CheckOut(rental);
                customer.OpenRentals++;
                customer.LastRentalAt = at;
                customer.RememberRental(film.FilmId, at, noRepeatSince);
                sameWeek[rentalId] = outcome.NewRentals.Count;
                outcome.NewRentals.Add(new RentalRecord(rentalId, at, copy.InventoryId, customer.Id, rental.StaffId, film.FilmId, null));
                outcome.Events.Add(EventFor(rental, RentalEventKind.Rented, at));
                return true;
            }
            return false; // the customer found nothing they wanted on the shelf and left
        }
        return false;
    }

    /// <summary>Carries out everything scheduled before <paramref name="until"/>, in time order.</summary>
    private void SettleUntil(ShopState state, DateTime until, WeekOutcome outcome, Dictionary<long, int> sameWeek)
    {
        while (state.Schedule.TryTakeBefore(until, out var next))
        {
            switch (next.Kind)
            {
                case ScheduledKind.RentalDue: Return(state, state.OpenRentals[next.Id], next.At, outcome, sameWeek); break;
                case ScheduledKind.FeePaid: SettleFee(state, next, RentalEventKind.LateFeePaid, outcome); break;
                case ScheduledKind.FeeWrittenOff: SettleFee(state, next, RentalEventKind.LateFeeWrittenOff, outcome); break;
                case ScheduledKind.Repaired:
                    outcome.StatusChanges.Add(new StatusChange((int)next.Id, next.At, "available", "repaired", null));
                    break;
            }
        }
    }

    private void Return(ShopState state, OpenRental rental, DateTime at, WeekOutcome outcome, Dictionary<long, int> sameWeek)
    {
        var customer = state.Customers[rental.CustomerId];
        customer.OpenRentals--;
        if (rental.Plan.Outcome == ReturnOutcome.NeverReturned)
        {
            state.WriteOff(rental);
            outcome.Lost.Add(new LossRecord(rental.RentalId, rental.Copy.InventoryId, at, rental.Film.ReplacementCost));
            outcome.StatusChanges.Add(new StatusChange(rental.Copy.InventoryId, at, "lost", $"rental {rental.RentalId} never returned", null));
            outcome.Events.Add(EventFor(rental, RentalEventKind.Lost, at));
            return;
        }
        state.CheckIn(rental);
        var record = new RentalRecord(rental.RentalId, rental.RentalDate, rental.Copy.InventoryId, rental.CustomerId,
            rental.StaffId, rental.Film.FilmId, at);
        if (sameWeek.TryGetValue(rental.RentalId, out var index)) outcome.NewRentals[index] = record;
        else outcome.Returned.Add(record);
        outcome.Events.Add(EventFor(rental, RentalEventKind.Returned, at));

        if (Fees.PlanFor(rental.RentalId, rental.RentalDate, at, rental.Film.RentalDuration) is { } plan &&
            plan.Settlement != FeeSettlement.PaidOnReturn)
            state.OpenLateFee(new OpenFee(rental.RentalId, rental.CustomerId, rental.StaffId, rental.RentalDate, at, rental.Film, plan), at);

        Inspect(state, rental, at, outcome);
    }

    /// <summary>A share of returned discs are damaged: repaired in maintenance, or retired when beyond repair.</summary>
    private void Inspect(ShopState state, OpenRental rental, DateTime at, WeekOutcome outcome)
    {
        var damage = _scenario.Damage;
        if (damage.DamagedShare <= 0) return;
        var random = new KeyedRandom(_seed, "damage", rental.RentalId);
        if (!random.Chance(damage.DamagedShare)) return;
        var copy = rental.Copy;
        if (random.Chance(damage.BeyondRepairShare))
        {
            state.MarkLost(copy.InventoryId);
            outcome.StatusChanges.Add(new StatusChange(copy.InventoryId, at, "damaged", $"beyond repair after rental {rental.RentalId}", null));
            return;
        }
        var until = at.AddDays(damage.MaintenanceDays);
        state.SendToMaintenance(copy, until);
        outcome.StatusChanges.Add(new StatusChange(copy.InventoryId, at, "maintenance", $"damaged in rental {rental.RentalId}", until));
    }

    private static void SettleFee(ShopState state, Scheduled due, RentalEventKind kind, WeekOutcome outcome)
    {
        if (!state.OpenFees.TryGetValue(due.Id, out var fee)) return;
        var customer = state.Customers[fee.CustomerId];
        var plan = fee.Plan;
        customer.Outstanding -= kind == RentalEventKind.LateFeePaid ? plan.PaidAmount : plan.WrittenOffAmount;
        if (plan.OutstandingAt(due.At) <= 0) state.OpenFees.Remove(due.Id);
        outcome.Events.Add(new RentalEvent(fee.RentalId, fee.CustomerId, fee.StaffId, kind, due.At, fee.RentalDate,
            fee.Film.RentalRate, fee.Film.RentalDuration, fee.Film.ReplacementCost, fee.ReturnedAt));
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
        return _items[Math.Min(FirstAtLeast(_cumulative, target), _items.Length - 1)];
    }

    /// <summary>
    /// The index of <paramref name="value"/> in the ascending <paramref name="sums"/>, else of the
    /// first larger element: Array.BinarySearch's answer, step for step, but compiled with the
    /// model (the framework's generic search over double ran as unoptimized JIT code in the services).
    /// </summary>
    internal static int FirstAtLeast(double[] sums, double value)
    {
        int lo = 0, hi = sums.Length - 1;
        while (lo <= hi)
        {
            var i = lo + ((hi - lo) >> 1);
            var order = sums[i].CompareTo(value);
            if (order == 0) return i;
            if (order < 0) lo = i + 1;
            else hi = i - 1;
        }
        return lo;
    }
}
