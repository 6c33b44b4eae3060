using DvdSim.Contracts;
using DvdSim.Model.Randomness;

namespace DvdSim.Model.Billing;

public enum FeeSettlement { PaidOnReturn, PaidLater, PaidPartly, NeverPaid }

/// <summary>
/// How a late fee gets settled, decided by a stream keyed on the rental alone: paid on return,
/// paid in full some days later, paid partly (the rest written off), or never (written off).
/// Any service can recompute it; nothing about it needs storing.
/// </summary>
public sealed record FeePlan(FeeSettlement Settlement, decimal Fee, decimal PaidAmount, DateTime? PaidAt,
    decimal WrittenOffAmount, DateTime? WrittenOffAt)
{
    public static FeePlan For(long seed, LateFeePayments settings, long rentalId, DateTime returnedAt, decimal fee)
    {
        var random = new KeyedRandom(seed, "fee-plan", rentalId);
        var roll = random.NextDouble();
        var writeOff = returnedAt.Date.AddDays(settings.WriteOffAfterDays).AddHours(23);
        if (roll < settings.PayOnReturnShare)
            return new FeePlan(FeeSettlement.PaidOnReturn, fee, fee, returnedAt, 0, null);
        var later = returnedAt.AddDays(random.NextInt(1, Math.Max(1, settings.PayLaterDaysMax)));
        roll -= settings.PayOnReturnShare;
        if (roll < settings.PayLaterShare)
            return new FeePlan(FeeSettlement.PaidLater, fee, fee, later, 0, null);
        roll -= settings.PayLaterShare;
        if (roll < settings.PayPartlyShare)
        {
            var paid = Math.Round(fee * settings.PartialFraction, 2, MidpointRounding.AwayFromZero);
            return new FeePlan(FeeSettlement.PaidPartly, fee, paid, later, fee - paid, writeOff);
        }
        return new FeePlan(FeeSettlement.NeverPaid, fee, 0, null, fee, writeOff);
    }

    /// <summary>What the customer still owes at <paramref name="at"/>.</summary>
    public decimal OutstandingAt(DateTime at) =>
        Fee - (PaidAt is { } p && p <= at ? PaidAmount : 0) - (WrittenOffAt is { } w && w <= at ? WrittenOffAmount : 0);
}
