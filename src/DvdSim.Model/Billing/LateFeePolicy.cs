using DvdSim.Contracts;
using DvdSim.Model.Shop;

namespace DvdSim.Model.Billing;

public enum ChargeKind { RentalFee = 0, LateFee = 1, ReplacementCost = 2 }

/// <summary>A payment to record: one per billable event, with an id derived from the rental.</summary>
public sealed record Charge(long PaymentId, long RentalId, int CustomerId, int StaffId, ChargeKind Kind, decimal Amount, DateTime PaidAt);

/// <summary>
/// What a rental costs: the film's rental rate when it goes out, a fee per day overdue when it
/// comes back late (settled per its <see cref="FeePlan"/>), the replacement cost when it is
/// declared lost. Payment ids are rental_id × 4 + kind, so the same event always gets the same
/// id however it is batched (a late fee is paid at most once, in full or in part).
/// </summary>
public sealed class LateFeePolicy(decimal lateFeePerDay, long seed = 0, LateFeePayments? payments = null)
{
    private readonly LateFeePayments _payments = payments ?? new LateFeePayments();

    public static LateFeePolicy For(Scenario scenario) => new(scenario.Fees.LateFeePerDay, scenario.Seed, scenario.LateFeePayments);

    public decimal LateFeePerDay { get; } = lateFeePerDay;

    public static long PaymentIdFor(long rentalId, ChargeKind kind) => rentalId * 4 + (int)kind;

    public decimal LateFee(DateTime rentalDate, DateTime returnDate, int rentalDuration) =>
        ReturnPlan.DaysLate(rentalDate, returnDate, rentalDuration) * LateFeePerDay;

    /// <summary>The settlement plan of a late return's fee, or null when it was not late.</summary>
    public FeePlan? PlanFor(long rentalId, DateTime rentalDate, DateTime returnedAt, int rentalDuration)
    {
        var fee = LateFee(rentalDate, returnedAt, rentalDuration);
        return fee > 0 ? FeePlan.For(seed, _payments, rentalId, returnedAt, fee) : null;
    }

    public FeePlan? PlanFor(RentalEvent e) =>
        e.Kind == RentalEventKind.Returned ? PlanFor(e.RentalId, e.RentalDate, e.At, e.RentalDuration)
        : e.ReturnedAt is { } back ? PlanFor(e.RentalId, e.RentalDate, back, e.RentalDuration)
        : null;

    public Charge? ChargeFor(RentalEvent e)
    {
        switch (e.Kind)
        {
            case RentalEventKind.Rented:
                return new Charge(PaymentIdFor(e.RentalId, ChargeKind.RentalFee), e.RentalId, e.CustomerId, e.StaffId,
                    ChargeKind.RentalFee, e.RentalRate, e.At);
            case RentalEventKind.Lost:
                return new Charge(PaymentIdFor(e.RentalId, ChargeKind.ReplacementCost), e.RentalId, e.CustomerId,
                    e.StaffId, ChargeKind.ReplacementCost, e.ReplacementCost, e.At);
            case RentalEventKind.Returned or RentalEventKind.LateFeePaid:
                var plan = PlanFor(e);
                var paysNow = e.Kind == RentalEventKind.Returned
                    ? plan?.Settlement == FeeSettlement.PaidOnReturn
                    : plan?.PaidAmount > 0;
                return paysNow
                    ? new Charge(PaymentIdFor(e.RentalId, ChargeKind.LateFee), e.RentalId, e.CustomerId, e.StaffId,
                        ChargeKind.LateFee, plan!.PaidAmount, e.At)
                    : null;
            default:
                return null;
        }
    }
}
