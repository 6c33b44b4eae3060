using DvdSim.Contracts;
using DvdSim.Model.Billing;
using DvdSim.Model.Scenarios;
using DvdSim.Model.Shop;

namespace DvdSim.Model.Tests.Shop;

/// <summary>Ten years of the advanced-10y preset in memory, shared by the level-4 tests.</summary>
public sealed class AdvancedDecade
{
    public Scenario Scenario { get; } = ScenarioLoader.Resolve("advanced-10y");
    public ShopState State { get; }
    public List<WeekOutcome> Weeks { get; }

    public AdvancedDecade()
    {
        State = TestShop.Open(Scenario);
        Weeks = TestShop.Simulate(Scenario, Scenario.StarterWeeks + Scenario.Weeks, State);
    }
}

public class LifecycleTests(AdvancedDecade decade) : IClassFixture<AdvancedDecade>
{
    [Fact]
    public void The_four_phases_show_in_weekly_volume()
    {
        double Mean(int from, int to) => decade.Weeks.Where(w => w.Week >= from && w.Week <= to).Average(w => w.NewRentals.Count);
        var growth = Mean(53, 104);   // the first year is ramp-up
        var plateau = Mean(105, 312);
        var decline = Mean(313, 416);
        var reactivation = Mean(417, 520);
        Assert.True(plateau > growth * 1.1, $"plateau {plateau:F0} vs growth {growth:F0}");
        Assert.True(decline < plateau * 0.8, $"decline {decline:F0} vs plateau {plateau:F0}");
        Assert.True(reactivation > decline * 1.1, $"reactivation {reactivation:F0} vs decline {decline:F0}");
        Assert.Equal(["growth", "plateau", "decline", "reactivation"],
            decade.Weeks.Select(w => w.Seasonality.Phase).Distinct().ToArray());
    }

    [Fact]
    public void Segments_behave_as_configured()
    {
        var customers = decade.State.Customers.Values.ToList();
        var rentals = decade.Weeks.SelectMany(w => w.NewRentals).GroupBy(r => r.CustomerId).ToDictionary(g => g.Key, g => g.Count());
        double PerCustomerWeek(string segment)
        {
            var members = customers.Where(c => c.Segment == segment).ToList();
            return members.Sum(c => rentals.GetValueOrDefault(c.Id)) / (double)members.Count;
        }
        Assert.True(PerCustomerWeek("super-loyal") > PerCustomerWeek("loyal"));
        Assert.True(PerCustomerWeek("loyal") > PerCustomerWeek("average"));
        Assert.True(PerCustomerWeek("average") > PerCustomerWeek("occasional"));
        var shares = customers.GroupBy(c => c.Segment).ToDictionary(g => g.Key, g => g.Count() / (double)customers.Count);
        Assert.InRange(shares["occasional"], 0.35, 0.45);
        Assert.InRange(shares["super-loyal"], 0.07, 0.13);
        Assert.All(customers.Where(c => c.Segment == "super-loyal"), c => Assert.True(c.Active));
        var churned = decade.Weeks.SelectMany(w => w.Churned).Select(c => decade.State.Customers[c.CustomerId].Segment).ToList();
        Assert.True(churned.Count(s => s == "occasional") > churned.Count(s => s == "loyal"));
    }

    [Fact]
    public void Dormant_customers_come_back_only_in_the_reactivation_phase()
    {
        var reactivated = decade.Weeks.Where(w => w.Reactivated.Count > 0).Select(w => w.Week).ToList();
        Assert.NotEmpty(reactivated);
        Assert.All(reactivated, w => Assert.InRange(w, 417, 520));
    }

    [Fact]
    public void Late_fees_settle_as_configured_and_never_more_than_billed()
    {
        var policy = LateFeePolicy.For(decade.Scenario);
        var plans = decade.Weeks.SelectMany(w => w.Events).Where(e => e.Kind == RentalEventKind.Returned)
            .Select(policy.PlanFor).OfType<FeePlan>().ToList();
        Assert.InRange(plans.Count, 10_000, 40_000);
        Assert.InRange(plans.Count(p => p.Settlement == FeeSettlement.PaidOnReturn) / (double)plans.Count, 0.40, 0.50);
        Assert.All(plans, p => Assert.Equal(p.Fee, p.PaidAmount + p.WrittenOffAmount));
        // Settlement events are emitted when they happen, never before the return.
        foreach (var e in decade.Weeks.SelectMany(w => w.Events).Where(e => e.Kind is RentalEventKind.LateFeePaid or RentalEventKind.LateFeeWrittenOff))
            Assert.True(e.At > e.ReturnedAt);
    }

    [Fact]
    public void Suspended_customers_do_not_rent_until_they_pay()
    {
        var limit = decade.Scenario.LateFeePayments.SuspendAboveBalance;
        var policy = LateFeePolicy.For(decade.Scenario);
        var owed = new Dictionary<int, decimal>();
        var ordered = decade.Weeks.SelectMany(w => w.Events).ToList(); // in time order within each week
        foreach (var e in ordered)
        {
            switch (e.Kind)
            {
                case RentalEventKind.Rented:
                    Assert.True(owed.GetValueOrDefault(e.CustomerId) <= limit, $"customer {e.CustomerId} rented owing {owed.GetValueOrDefault(e.CustomerId)}");
                    break;
                case RentalEventKind.Returned when policy.PlanFor(e) is { Settlement: not FeeSettlement.PaidOnReturn } plan:
                    owed[e.CustomerId] = owed.GetValueOrDefault(e.CustomerId) + plan.Fee;
                    break;
                case RentalEventKind.LateFeePaid:
                    owed[e.CustomerId] -= policy.PlanFor(e)!.PaidAmount;
                    break;
                case RentalEventKind.LateFeeWrittenOff:
                    owed[e.CustomerId] -= policy.PlanFor(e)!.WrittenOffAmount;
                    break;
            }
        }
        Assert.Equal(decade.State.Customers.Values.Sum(c => c.Outstanding), owed.Values.Sum());
    }

    [Fact]
    public void No_copy_is_rented_while_in_maintenance_damaged_or_lost()
    {
        var changes = decade.Weeks.SelectMany(w => w.StatusChanges).ToList();
        Assert.Contains(changes, c => c.Status == "maintenance");
        Assert.Contains(changes, c => c.Status == "damaged");
        Assert.Contains(changes, c => c.Status == "lost");
        var rentals = decade.Weeks.SelectMany(w => w.NewRentals).ToLookup(r => r.InventoryId);
        foreach (var c in changes)
        {
            var blockedUntil = c.Status == "maintenance" ? c.Until!.Value : c.Status is "damaged" or "lost" ? DateTime.MaxValue : c.At;
            Assert.DoesNotContain(rentals[c.InventoryId], r => r.RentalDate >= c.At && r.RentalDate < blockedUntil);
        }
    }

    [Fact]
    public void Volumes_match_the_level_4_reference()
    {
        var rentals = decade.Weeks.Sum(w => w.NewRentals.Count);
        Assert.InRange(rentals, 250_000, 450_000);
        var perSegment = decade.State.Customers.Values.GroupBy(c => c.Segment).Select(g => g.Count()).ToList();
        Assert.All(perSegment, n => Assert.InRange(n, 100, 2500));
    }
}
