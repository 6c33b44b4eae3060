using DvdSim.Contracts;
using DvdSim.Model.Randomness;

namespace DvdSim.Model.Shop;

/// <summary>A customer's standing traits, decided once at sign-up.</summary>
public sealed record CustomerProfile(string Segment, bool Loyal, double Activity);

/// <summary>
/// Who a customer is. Without segments: loyal (never churns for inactivity, rents more) or
/// regular. With segments (level 4): a segment drawn by share. Either way a personal appetite
/// from a log-normal with mean 1 spreads customers within their kind. Keyed by customer id, so
/// base data and weekly sign-ups agree.
/// </summary>
public static class CustomerProfiles
{
    private const double AppetiteSigma = 0.8;

    public static CustomerProfile Draw(Scenario scenario, int customerId)
    {
        var random = new KeyedRandom(scenario.Seed, "customer-profile", customerId);
        var pick = random.NextDouble();
        var appetite = Math.Exp(AppetiteSigma * random.StandardNormal() - AppetiteSigma * AppetiteSigma / 2);
        if (scenario.Segments.Length > 0)
        {
            var total = scenario.Segments.Sum(s => s.Share);
            var target = pick * total;
            var segment = scenario.Segments[^1];
            foreach (var s in scenario.Segments)
            {
                if (target < s.Share) { segment = s; break; }
                target -= s.Share;
            }
            return new CustomerProfile(segment.Name, segment.NeverInactive, Math.Round(segment.Activity * appetite, 6));
        }
        var loyal = pick < scenario.Customers.LoyalShare;
        return new CustomerProfile(loyal ? "loyal" : "regular", loyal,
            Math.Round((loyal ? scenario.Customers.LoyalActivity : 1.0) * appetite, 6));
    }
}

/// <summary>The per-segment rules a customer lives by (limits, churn, lifetime).</summary>
public sealed class CustomerRules(Scenario scenario)
{
    private readonly Dictionary<string, CustomerSegment> _segments = scenario.Segments.ToDictionary(s => s.Name);

    public CustomerSegment? SegmentOf(CustomerState c) => _segments.GetValueOrDefault(c.Segment);

    public int MaxRentals(CustomerState c) => SegmentOf(c)?.MaxSimultaneousRentals ?? scenario.Customers.MaxSimultaneousRentals;

    public double WeeklyChurn(CustomerState c) => SegmentOf(c)?.WeeklyChurn ?? 0;

    /// <summary>
    /// When the customer's current spell as an active customer ends, if the segment has an
    /// expected lifetime: an exponential draw keyed by customer and spell start.
    /// </summary>
    public DateTime? SpellEnd(CustomerState c)
    {
        if (SegmentOf(c) is not { LifetimeWeeks: > 0 } segment) return null;
        var start = c.ReactivatedAt ?? c.CreatedAt;
        var u = new KeyedRandom(scenario.Seed, "lifetime", c.Id, DateOnly.FromDateTime(start).DayNumber).NextDouble();
        var weeks = -Math.Log(1 - u) * segment.LifetimeWeeks;
        return start.AddDays(Math.Min(weeks * 7, 365 * 200));
    }
}
