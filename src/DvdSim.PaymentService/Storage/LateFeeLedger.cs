using System.Globalization;
using System.Text;
using Dapper;
using DvdSim.Contracts;
using DvdSim.Model.Billing;
using DvdSim.Model.Shop;
using MySqlConnector;

namespace DvdSim.PaymentService.Storage;

/// <summary>
/// The late_fee ledger: one row per late return, billed on return, then paid and/or written off.
/// Every event carries the whole bill, and each column is set only by the event that owns it,
/// so the rows come out the same whatever order batches are written in.
/// </summary>
public static class LateFeeLedger
{
    private const int Chunk = 1000;

    public static async Task WriteAsync(MySqlConnection db, MySqlTransaction tx, LateFeePolicy policy,
        IEnumerable<RentalEvent> events, CancellationToken ct)
    {
        var rows = new List<string>();
        foreach (var e in events)
        {
            if (e.Kind is not (RentalEventKind.Returned or RentalEventKind.LateFeePaid or RentalEventKind.LateFeeWrittenOff)) continue;
            if (policy.PlanFor(e) is not { } plan) continue;
            var returnedAt = e.ReturnedAt ?? e.At;
            var daysLate = ReturnPlan.DaysLate(e.RentalDate, returnedAt, e.RentalDuration);
            var paid = e.Kind == RentalEventKind.LateFeePaid || (e.Kind == RentalEventKind.Returned && plan.Settlement == FeeSettlement.PaidOnReturn);
            var writtenOff = e.Kind == RentalEventKind.LateFeeWrittenOff;
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"({e.RentalId},{e.CustomerId},{daysLate},{plan.Fee},'{Format(returnedAt)}',{(paid ? plan.PaidAmount : 0)},{(paid ? $"'{Format(e.At)}'" : "NULL")},{(writtenOff ? plan.WrittenOffAmount : 0)},{(writtenOff ? $"'{Format(e.At)}'" : "NULL")})"));
        }
        foreach (var chunk in rows.Chunk(Chunk))
        {
            var sql = new StringBuilder("""
                INSERT INTO late_fee (rental_id, customer_id, days_late, amount, billed_at, paid_amount, paid_at, written_off_amount, written_off_at) VALUES
                """);
            sql.AppendJoin(',', chunk);
            sql.Append("""
                 ON DUPLICATE KEY UPDATE
                  paid_amount = IF(VALUES(paid_at) IS NULL, paid_amount, VALUES(paid_amount)),
                  paid_at = COALESCE(VALUES(paid_at), paid_at),
                  written_off_amount = IF(VALUES(written_off_at) IS NULL, written_off_amount, VALUES(written_off_amount)),
                  written_off_at = COALESCE(VALUES(written_off_at), written_off_at)
                """);
            await db.ExecuteAsync(new CommandDefinition(sql.ToString(), transaction: tx, cancellationToken: ct));
        }
    }

    private static string Format(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
