using DvdSim.Contracts;
using DvdSim.Model.Randomness;

namespace DvdSim.Model.Shop;

/// <summary>A customer's standing traits, decided once at sign-up.</summary>
public sealed record CustomerProfile(string Segment, bool Loyal, double Activity);

/// <summary>
/// Who a customer is: loyal (never churns, rents more) or regular, with a personal appetite
/// drawn from a log-normal with mean 1, so some customers rent every week and some hardly
/// ever (and those drift away). Keyed by customer id: base data and weekly sign-ups agree.
/// </summary>
public static class CustomerProfiles
{
    private const double AppetiteSigma = 0.8;

    public static CustomerProfile Draw(long seed, CustomerSettings settings, int customerId)
    {
        var random = new KeyedRandom(seed, "customer-profile", customerId);
        var loyal = random.Chance(settings.LoyalShare);
        var appetite = Math.Exp(AppetiteSigma * random.StandardNormal() - AppetiteSigma * AppetiteSigma / 2);
        var activity = Math.Round((loyal ? settings.LoyalActivity : 1.0) * appetite, 6);
        return new CustomerProfile(loyal ? "loyal" : "regular", loyal, activity);
    }
}
