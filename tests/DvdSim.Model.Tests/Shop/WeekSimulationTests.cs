using DvdSim.Contracts;
using DvdSim.Model.Scenarios;
using DvdSim.Model.Shop;

namespace DvdSim.Model.Tests.Shop;

public class WeekSimulationTests
{
    private static readonly Scenario Standard = ScenarioLoader.Resolve("standard-3y");

    [Fact]
    public void Same_seed_gives_the_same_weeks_and_another_seed_does_not()
    {
        var a = TestShop.Simulate(Standard, 20);
        var b = TestShop.Simulate(Standard, 20);
        var c = TestShop.Simulate(Standard with { Seed = 7 }, 20);
        Assert.Equal(Fingerprint(a), Fingerprint(b));
        Assert.NotEqual(Fingerprint(a), Fingerprint(c));
    }

    [Fact]
    public void A_copy_is_never_out_twice_at_the_same_time()
    {
        var outcomes = TestShop.Simulate(Standard, 60);
        var returns = outcomes.SelectMany(o => o.NewRentals.Concat(o.Returned)).Where(r => r.ReturnDate is not null)
            .GroupBy(r => r.RentalId).ToDictionary(g => g.Key, g => g.First().ReturnDate);
        var lost = outcomes.SelectMany(o => o.Lost).ToDictionary(l => l.RentalId, l => l.DeclaredOn);
        var overlaps = 0;
        foreach (var copy in outcomes.SelectMany(o => o.NewRentals).GroupBy(r => r.InventoryId))
        {
            var ordered = copy.OrderBy(r => r.RentalDate).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var previous = ordered[i - 1];
                var back = returns.GetValueOrDefault(previous.RentalId) ?? (lost.ContainsKey(previous.RentalId) ? DateTime.MaxValue : DateTime.MaxValue);
                if (back > ordered[i].RentalDate) overlaps++;
            }
        }
        Assert.Equal(0, overlaps);
    }

    [Fact]
    public void Returns_come_after_rentals_and_nothing_is_dated_after_its_week()
    {
        var scenario = Standard;
        var clock = WeekClock.For(scenario);
        foreach (var week in TestShop.Simulate(scenario, 40))
        {
            var end = clock.WeekEnd(week.Week);
            var start = clock.WeekStart(week.Week).ToDateTime(TimeOnly.MinValue);
            foreach (var r in week.NewRentals)
            {
                Assert.InRange(r.RentalDate, start, end.AddTicks(-1));
                if (r.ReturnDate is { } back) { Assert.True(back > r.RentalDate); Assert.True(back < end); }
            }
            foreach (var r in week.Returned) Assert.InRange(r.ReturnDate!.Value, start, end.AddTicks(-1));
            foreach (var e in week.Events) Assert.InRange(e.At, start, end.AddTicks(-1));
        }
    }

    [Fact]
    public void Customers_respect_the_simultaneous_limit_and_the_no_repeat_window()
    {
        var scenario = Standard with { Customers = Standard.Customers with { MaxSimultaneousRentals = 2, Initial = 40, NewPerWeek = 0 } };
        var outcomes = TestShop.Simulate(scenario, 30);
        var rentals = outcomes.SelectMany(o => o.NewRentals).ToList();
        var back = outcomes.SelectMany(o => o.NewRentals.Concat(o.Returned)).Where(r => r.ReturnDate is not null)
            .GroupBy(r => r.RentalId).ToDictionary(g => g.Key, g => g.First().ReturnDate!.Value);
        var lostAt = outcomes.SelectMany(o => o.Lost).ToDictionary(l => l.RentalId, l => l.DeclaredOn);
        foreach (var customer in rentals.GroupBy(r => r.CustomerId))
        {
            foreach (var r in customer)
            {
                var open = customer.Count(o => o.RentalDate <= r.RentalDate &&
                    (back.TryGetValue(o.RentalId, out var b) ? b : lostAt.GetValueOrDefault(o.RentalId, DateTime.MaxValue)) > r.RentalDate);
                Assert.True(open <= 2, $"customer {customer.Key} had {open} rentals out at {r.RentalDate}");
            }
            foreach (var film in customer.GroupBy(r => r.FilmId))
            {
                var dates = film.Select(r => r.RentalDate).Order().ToList();
                for (var i = 1; i < dates.Count; i++)
                    Assert.True((dates[i] - dates[i - 1]).TotalDays >= scenario.Customers.NoRepeatDays,
                        $"customer {customer.Key} re-rented film {film.Key} after {(dates[i] - dates[i - 1]).TotalDays:F1} days");
            }
        }
    }

    [Fact]
    public void Late_share_and_losses_follow_the_settings()
    {
        var outcomes = TestShop.Simulate(Standard, 80);
        var returned = outcomes.SelectMany(o => o.Events).Where(e => e.Kind == RentalEventKind.Returned).ToList();
        var late = returned.Count(e => ReturnPlan.DaysLate(e.RentalDate, e.At, e.RentalDuration) > 0);
        var share = late / (double)returned.Count;
        Assert.InRange(share, 0.26, 0.34);
        Assert.True(outcomes.SelectMany(o => o.Lost).Any(), "some rentals never come back");
    }

    [Fact]
    public void Inactive_regular_customers_churn_and_loyal_ones_stay()
    {
        var scenario = Standard with { Customers = Standard.Customers with { ChurnAfterInactiveWeeks = 4 } };
        var state = TestShop.Open(scenario);
        var outcomes = TestShop.Simulate(scenario, 60, state);
        Assert.True(outcomes.Sum(o => o.Churned.Count) > 0);
        Assert.All(state.Customers.Values.Where(c => c.Loyal), c => Assert.Null(c.ChurnedOn));
        // Churn persists: a churned customer never rents afterwards.
        var churnedOn = outcomes.SelectMany(o => o.Churned).ToDictionary(c => c.CustomerId, c => c.On);
        foreach (var r in outcomes.SelectMany(o => o.NewRentals))
            if (churnedOn.TryGetValue(r.CustomerId, out var on)) Assert.True(DateOnly.FromDateTime(r.RentalDate) < on);
    }

    [Fact]
    public void Top_fifth_of_films_takes_most_rentals()
    {
        var outcomes = TestShop.Simulate(Standard, 52);
        var perFilm = outcomes.SelectMany(o => o.NewRentals).GroupBy(r => r.FilmId).Select(g => g.Count()).OrderDescending().ToList();
        var total = perFilm.Sum();
        var top = perFilm.Take(Standard.Catalog.Films / 5).Sum();
        Assert.True(top / (double)total > 0.5, $"top 20 % share was {top / (double)total:P0}");
    }

    [Fact]
    public void Summer_months_rent_more_than_february()
    {
        var outcomes = TestShop.Simulate(Standard with { Demand = Standard.Demand with { AnnualGrowth = 0 } }, 120);
        double Mean(int month) => outcomes.SelectMany(o => o.NewRentals).Where(r => r.RentalDate.Month == month)
            .GroupBy(r => r.RentalDate.Date).Average(g => g.Count());
        var ratio = Mean(7) / Mean(2);
        Assert.InRange(ratio, 1.6, 2.9); // configured 2.0 / 0.9 ≈ 2.2
    }

    private static string Fingerprint(IEnumerable<WeekOutcome> weeks) => string.Join("|", weeks.Select(w =>
        $"{w.Week}:{w.NewRentals.Count}:{w.Returned.Count}:{w.SignUps.Count}:{w.Churned.Count}:" +
        string.Join(",", w.NewRentals.Select(r => $"{r.RentalId}/{r.InventoryId}/{r.CustomerId}/{r.RentalDate:O}/{r.ReturnDate:O}"))));
}
