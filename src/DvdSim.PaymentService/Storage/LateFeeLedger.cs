using DvdSim.Contracts;
using DvdSim.Model.Billing;
using DvdSim.Model.Shop;

namespace DvdSim.PaymentService.Storage;

/// <summary>
/// The late_fee ledger: one row per late return, billed on return, then paid and/or written off.
/// Every event carries the whole bill, and each column is set only by the event that owns it,
/// so the rows come out the same whatever order batches are written in.
/// </summary>
public static class LateFeeLedger
{
    private static readonly string[] Columns =
        ["rental_id", "customer_id", "days_late", "amount", "billed_at", "paid_amount", "paid_at", "written_off_amount", "written_off_at"];

    private const string KeepOwnColumns = """
        paid_amount = IF(VALUES(paid_at) IS NULL, paid_amount, VALUES(paid_amount)),
        paid_at = COALESCE(VALUES(paid_at), paid_at),
        written_off_amount = IF(VALUES(written_off_at) IS NULL, written_off_amount, VALUES(written_off_amount)),
        written_off_at = COALESCE(VALUES(written_off_at), written_off_at)
        """;

    public static void Add(SqlBatch batch, LateFeePolicy policy, IEnumerable<RentalEvent> events)
    {
        var rows = new List<object?[]>();
        foreach (var e in events)
        {
            if (e.Kind is not (RentalEventKind.Returned or RentalEventKind.LateFeePaid or RentalEventKind.LateFeeWrittenOff)) continue;
            if (policy.PlanFor(e) is not { } plan) continue;
            var returnedAt = e.ReturnedAt ?? e.At;
            var paid = e.Kind == RentalEventKind.LateFeePaid || (e.Kind == RentalEventKind.Returned && plan.Settlement == FeeSettlement.PaidOnReturn);
            var writtenOff = e.Kind == RentalEventKind.LateFeeWrittenOff;
            rows.Add([e.RentalId, e.CustomerId, ReturnPlan.DaysLate(e.RentalDate, returnedAt, e.RentalDuration), plan.Fee, returnedAt,
                paid ? plan.PaidAmount : 0m, paid ? e.At : null, writtenOff ? plan.WrittenOffAmount : 0m, writtenOff ? e.At : null]);
        }
        batch.Insert("late_fee", Columns, rows, onDuplicate: KeepOwnColumns);
    }
}
