using DvdSim.Contracts;
using DvdSim.Model.Billing;
using DvdSim.Model.Demand;
using DvdSim.Model.Popularity;
using DvdSim.Model.Randomness;
using DvdSim.Model.Scenarios;
using DvdSim.Model.Shop;
using DvdSim.Model.Stock;

namespace DvdSim.Model.Tests.Demand;

public class DemandTests
{
    private static readonly Scenario Standard = ScenarioLoader.Resolve("standard-3y");

    [Fact]
    public void Keyed_streams_depend_on_the_key_only()
    {
        var a = new KeyedRandom(1, "x", 5, 6);
        var b = new KeyedRandom(1, "x", 5, 6);
        var c = new KeyedRandom(1, "x", 6, 5);
        var d = new KeyedRandom(1, "y", 5, 6);
        var first = a.NextUInt64();
        Assert.Equal(first, b.NextUInt64());
        Assert.NotEqual(first, c.NextUInt64());
        Assert.NotEqual(first, d.NextUInt64());
    }

    [Fact]
    public void Poisson_mean_is_right_for_small_and_large_means()
    {
        var r = new KeyedRandom(3, "poisson");
        Assert.InRange(Enumerable.Range(0, 20000).Average(_ => r.Poisson(4.0)), 3.9, 4.1);
        Assert.InRange(Enumerable.Range(0, 20000).Average(_ => r.Poisson(400.0)), 398, 402);
    }

    [Fact]
    public void Seasonal_multiplier_shapes_the_expected_volume()
    {
        var curve = new DemandCurve(Standard with { Demand = Standard.Demand with { AnnualGrowth = 0, SpikeDayShare = 0 } });
        var clock = WeekClock.For(Standard);
        var july = Enumerable.Range(1, 60).First(w => clock.WeekStart(w).Month == 7 && clock.WeekStart(w).AddDays(6).Month == 7);
        var feb = Enumerable.Range(1, 60).First(w => clock.WeekStart(w).Month == 2 && clock.WeekStart(w).AddDays(6).Month == 2);
        Assert.Equal(2.0 / 0.9, curve.ExpectedInWeek(july) / curve.ExpectedInWeek(feb), 3);
    }

    [Fact]
    public void Spike_days_occur_at_the_configured_share()
    {
        var curve = new DemandCurve(Standard);
        var spikes = 0;
        for (var w = 1; w <= 520; w++) for (var d = 0; d < 7; d++) if (curve.IsSpikeDay(42, w, d)) spikes++;
        Assert.InRange(spikes / (520.0 * 7), 0.04, 0.06);
    }

    [Fact]
    public void Daily_volume_is_not_truncated()
    {
        // The old tool lost most of its volume to integer division; the mean of our draws matches the curve.
        var curve = new DemandCurve(Standard with { Demand = Standard.Demand with { SpikeDayShare = 0 } });
        double expected = 0, actual = 0;
        for (var w = 1; w <= 200; w++) for (var d = 0; d < 7; d++) { expected += curve.ExpectedOnDay(w, d); actual += curve.RentalsOnDay(42, w, d); }
        Assert.InRange(actual / expected, 0.98, 1.02);
    }

    [Fact]
    public void Weekends_are_busier_once_established()
    {
        var curve = new DemandCurve(Standard);
        var late = curve.WeekdayWeights(100);
        Assert.True(late[5] > late[1] * 1.5);
        var early = curve.WeekdayWeights(1);
        Assert.True(early[5] / early[1] < late[5] / late[1]);
    }

    [Fact]
    public void Zipf_weights_give_the_top_fifth_most_of_the_weight()
    {
        var popularity = new FilmPopularity(Standard);
        var weights = Enumerable.Range(1, 500).Select(popularity.BaseWeight).OrderDescending().ToList();
        Assert.InRange(weights.Take(100).Sum() / weights.Sum(), 0.6, 0.9);
        Assert.Equal(Enumerable.Range(1, 500), Enumerable.Range(1, 500).Select(popularity.RankOf).Order());
    }

    [Fact]
    public void New_release_boost_decays_to_nothing()
    {
        var popularity = new FilmPopularity(Standard);
        var day = new DateOnly(2002, 1, 1);
        Assert.Equal(3.0, popularity.Boost(true, day, day), 6);
        Assert.Equal(2.0, popularity.Boost(true, day, day.AddDays(20)), 6);
        Assert.Equal(1.0, popularity.Boost(true, day, day.AddDays(40)), 6);
        Assert.Equal(1.0, popularity.Boost(false, day, day));
        var boosted = Enumerable.Range(501, 5000).Count(popularity.IsBoosted);
        Assert.InRange(boosted / 5000.0, 0.08, 0.12);
    }

    [Fact]
    public void Late_fee_is_per_day_overdue_counted_like_sakila()
    {
        var policy = new LateFeePolicy(1.50m);
        var rented = new DateTime(2002, 3, 1, 21, 0, 0);
        Assert.Equal(0m, policy.LateFee(rented, new DateTime(2002, 3, 6, 10, 0, 0), 5));
        Assert.Equal(3.00m, policy.LateFee(rented, new DateTime(2002, 3, 8, 10, 0, 0), 5));
        var lateEvent = new RentalEvent(10, 1, 1, RentalEventKind.Returned, new DateTime(2002, 3, 8, 10, 0, 0), rented, 2.99m, 5, 19.99m);
        var charge = policy.ChargeFor(lateEvent)!;
        Assert.Equal(ChargeKind.LateFee, charge.Kind);
        Assert.Equal(41, charge.PaymentId);
        Assert.Null(policy.ChargeFor(lateEvent with { At = new DateTime(2002, 3, 5) }));
        Assert.Equal(19.99m, policy.ChargeFor(lateEvent with { Kind = RentalEventKind.Lost })!.Amount);
        Assert.Equal(2.99m, policy.ChargeFor(lateEvent with { Kind = RentalEventKind.Rented })!.Amount);
    }

    [Fact]
    public void Purchase_rules_are_checked_every_week()
    {
        var scenario = Standard with
        {
            Inventory = new InventorySettings
            {
                Schedule = [new PurchaseOrder { Week = 7, Quantity = 12, Reason = "promo" }],
                Rules = [new PurchaseRule { EveryWeeks = 5, Quantity = 3 }],
            },
        };
        var plan = new StockPlan(scenario);
        var due = Enumerable.Range(1, 20).Where(w => plan.OrdersDue(w).Count > 0).ToList();
        Assert.Equal([5, 7, 10, 15, 20], due);
        Assert.Equal(12, plan.OrdersDue(7).Sum(o => o.Quantity));
        var films = Enumerable.Range(1, 50).Select(f => new StockedFilm(f, DateOnly.MinValue, false)).ToList();
        Assert.Equal(12, plan.Restock(7, films, [1, 2]).Count());
    }

    [Fact]
    public void Hot_category_rotates_and_releases_favour_it()
    {
        var plan = new StockPlan(Standard with { Releases = Standard.Releases with { FilmsPerWeek = 20 } });
        Assert.Equal(plan.HotCategory(1), plan.HotCategory(8));
        var categories = Enumerable.Range(0, 20).Select(i => plan.HotCategory(1 + i * 8)).Distinct().Count();
        Assert.True(categories > 5);
        var releases = plan.Releases(3, 1000);
        Assert.True(releases.Count(r => r.Hot) > releases.Count / 3);
    }

    [Fact]
    public void Return_plans_are_keyed_by_rental()
    {
        var at = new DateTime(2002, 5, 5, 12, 0, 0);
        Assert.Equal(ReturnPlan.For(1, Standard.Returns, 99, at, 5), ReturnPlan.For(1, Standard.Returns, 99, at, 5));
        var plans = Enumerable.Range(1, 20000).Select(id => ReturnPlan.For(1, Standard.Returns, id, at, 5)).ToList();
        Assert.All(plans, p => Assert.True(p.At > at));
        Assert.InRange(plans.Count(p => p.Outcome == ReturnOutcome.Late) / 20000.0, 0.28, 0.32);
    }
}
