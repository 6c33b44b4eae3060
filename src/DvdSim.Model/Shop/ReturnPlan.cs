using DvdSim.Contracts;
using DvdSim.Model.Randomness;

namespace DvdSim.Model.Shop;

public enum ReturnOutcome { OnTime, Late, NeverReturned }

/// <summary>
/// When a rental comes back, decided when it goes out and keyed by the rental id alone, so a
/// restarted service recomputes the same plan for every open rental without storing it.
/// Day counting follows Sakila's get_customer_balance: days late =
/// TO_DAYS(return) − TO_DAYS(rental) − rental_duration.
/// </summary>
public sealed record ReturnPlan(ReturnOutcome Outcome, DateTime At)
{
    /// <summary>Shop hours: rentals and returns happen between 10:00 and 22:00.</summary>
    public const int OpeningHour = 10;
    public const int ClosingHour = 22;

    public static ReturnPlan For(long seed, ReturnSettings settings, long rentalId, DateTime rentalDate, int rentalDuration)
    {
        var random = new KeyedRandom(seed, "return-plan", rentalId);
        var roll = random.NextDouble();
        var rentalDay = rentalDate.Date;
        if (roll < settings.NeverReturnedShare)
        {
            // Declared lost once it is this many days overdue.
            var declared = rentalDay.AddDays(rentalDuration + settings.LostAfterDaysOverdue).AddHours(ClosingHour);
            return new ReturnPlan(ReturnOutcome.NeverReturned, declared);
        }
        int days;
        ReturnOutcome outcome;
        if (roll < settings.NeverReturnedShare + settings.LateShare)
        {
            outcome = ReturnOutcome.Late;
            days = rentalDuration + random.NextInt(1, Math.Max(1, settings.LateDaysMax));
        }
        else
        {
            outcome = ReturnOutcome.OnTime;
            days = random.NextInt(1, rentalDuration);
        }
        var at = rentalDay.AddDays(days).Add(TimeOfDay(random));
        return new ReturnPlan(outcome, at);
    }

    /// <summary>A time within shop hours, to the second.</summary>
    public static TimeSpan TimeOfDay(KeyedRandom random) =>
        TimeSpan.FromSeconds(OpeningHour * 3600 + random.NextInt((ClosingHour - OpeningHour) * 3600));

    public static int DaysLate(DateTime rentalDate, DateTime returnDate, int rentalDuration) =>
        Math.Max(0, (returnDate.Date - rentalDate.Date).Days - rentalDuration);
}
