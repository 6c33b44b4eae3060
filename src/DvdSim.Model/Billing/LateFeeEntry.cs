using DvdSim.Contracts;
using DvdSim.Model.Shop;

namespace DvdSim.Model.Billing;

/// <summary>
/// What one event writes into a late return's ledger row: the return bills the fee (and pays it
/// when it is paid on return), a later payment or write-off sets its own columns only. Every event
/// carries the whole bill, so the row comes out the same whatever order the events are written in.
/// </summary>
public sealed record LateFeeEntry(long RentalId, int CustomerId, int DaysLate, decimal Fee, DateTime BilledAt, bool Bills,
    decimal PaidAmount, DateTime? PaidAt, decimal WrittenOffAmount, DateTime? WrittenOffAt)
{
    /// <summary>How much more (or, negative, less) customers owe once this entry is written.</summary>
    public decimal ReceivableChange => (Bills ? Fee : 0) - PaidAmount - WrittenOffAmount;

    /// <summary>The entry <paramref name="e"/> writes, or null when it touches no late fee.</summary>
    public static LateFeeEntry? For(LateFeePolicy policy, RentalEvent e)
    {
        if (e.Kind is not (RentalEventKind.Returned or RentalEventKind.LateFeePaid or RentalEventKind.LateFeeWrittenOff)) return null;
        if (policy.PlanFor(e) is not { } plan) return null;
        var returnedAt = e.ReturnedAt ?? e.At;
        var bills = e.Kind == RentalEventKind.Returned;
        var paid = e.Kind == RentalEventKind.LateFeePaid || (bills && plan.Settlement == FeeSettlement.PaidOnReturn);
        var writtenOff = e.Kind == RentalEventKind.LateFeeWrittenOff;
        return new LateFeeEntry(e.RentalId, e.CustomerId, ReturnPlan.DaysLate(e.RentalDate, returnedAt, e.RentalDuration), plan.Fee,
            returnedAt, bills, paid ? plan.PaidAmount : 0m, paid ? e.At : null, writtenOff ? plan.WrittenOffAmount : 0m,
            writtenOff ? e.At : null);
    }
}
