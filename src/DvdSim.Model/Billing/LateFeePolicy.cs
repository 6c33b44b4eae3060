using DvdSim.Contracts;
using DvdSim.Model.Shop;

namespace DvdSim.Model.Billing;

public enum ChargeKind { RentalFee = 0, LateFee = 1, ReplacementCost = 2 }

/// <summary>A payment to record: one per billable event, with an id derived from the rental.</summary>
public sealed record Charge(long PaymentId, long RentalId, int CustomerId, int StaffId, ChargeKind Kind, decimal Amount, DateTime PaidAt);

/// <summary>
/// What a rental costs: the film's rental rate when it goes out, a fee per day overdue when it
/// comes back late, the replacement cost when it is declared lost. Payment ids are
/// rental_id × 4 + kind, so the same event always gets the same id however it is batched.
/// </summary>
public sealed class LateFeePolicy(decimal lateFeePerDay)
{
    public decimal LateFeePerDay { get; } = lateFeePerDay;

    public static long PaymentIdFor(long rentalId, ChargeKind kind) => rentalId * 4 + (int)kind;

    public decimal LateFee(DateTime rentalDate, DateTime returnDate, int rentalDuration) =>
        ReturnPlan.DaysLate(rentalDate, returnDate, rentalDuration) * LateFeePerDay;

    public Charge? ChargeFor(RentalEvent e) => e.Kind switch
    {
        RentalEventKind.Rented => new Charge(PaymentIdFor(e.RentalId, ChargeKind.RentalFee), e.RentalId, e.CustomerId,
            e.StaffId, ChargeKind.RentalFee, e.RentalRate, e.At),
        RentalEventKind.Returned when LateFee(e.RentalDate, e.At, e.RentalDuration) is var fee && fee > 0 =>
            new Charge(PaymentIdFor(e.RentalId, ChargeKind.LateFee), e.RentalId, e.CustomerId, e.StaffId,
                ChargeKind.LateFee, fee, e.At),
        RentalEventKind.Lost => new Charge(PaymentIdFor(e.RentalId, ChargeKind.ReplacementCost), e.RentalId,
            e.CustomerId, e.StaffId, ChargeKind.ReplacementCost, e.ReplacementCost, e.At),
        _ => null,
    };
}
