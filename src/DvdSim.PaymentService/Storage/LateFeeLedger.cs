using DvdSim.Model.Billing;

namespace DvdSim.PaymentService.Storage;

/// <summary>
/// The late_fee ledger: one row per late return, billed on return, then paid and/or written off.
/// Each column is set only by the entry that owns it (<see cref="LateFeeEntry"/>), so the rows
/// come out the same whatever order batches are written in.
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

    public static void Add(SqlBatch batch, IEnumerable<LateFeeEntry> entries) =>
        batch.Insert("late_fee", Columns, entries.Select(f => new object?[]
            { f.RentalId, f.CustomerId, f.DaysLate, f.Fee, f.BilledAt, f.PaidAmount, f.PaidAt, f.WrittenOffAmount, f.WrittenOffAt }).ToList(),
            onDuplicate: KeepOwnColumns);
}
