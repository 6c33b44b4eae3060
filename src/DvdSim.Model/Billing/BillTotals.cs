using DvdSim.Contracts;

namespace DvdSim.Model.Billing;

/// <summary>
/// What billed events add to the books: payments taken and their sum, late fees billed, and the
/// change in what customers still owe. Summed over the completed weeks they equal the payment and
/// late_fee tables, so a run's statistics come from one row a week instead of scans of tables
/// that grow with every week (tens of millions of rows at scale).
/// </summary>
public sealed class BillTotals
{
    public int Payments { get; private set; }
    public decimal Revenue { get; private set; }
    public int LateFees { get; private set; }
    public decimal ReceivablesChange { get; private set; }

    public void Add(Charge charge)
    {
        Payments++;
        Revenue += charge.Amount;
    }

    public void Add(LateFeeEntry entry)
    {
        if (entry.Bills) LateFees++;
        ReceivablesChange += entry.ReceivableChange;
    }

    /// <summary>What the coordinator is told of one billed rental batch with these totals.</summary>
    public BilledBatch ToBilledBatch(int week, int batchNumber, double stageMilliseconds) =>
        new(week, batchNumber, Payments, Revenue, LateFees, ReceivablesChange, stageMilliseconds);
}
