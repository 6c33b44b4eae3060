using System.Text.Json.Serialization;

namespace DvdSim.Contracts;

// Every message names its run by the run's database (a validated identifier) and,
// inside the week pipeline, the simulated week (1-based).

/// <summary>
/// Coordinator → Schema: create the run's database, tables and base data, and store the
/// resolved scenario (JSON, snake_case) as the run's metadata. Idempotent.
/// </summary>
public record PrepareRun(string Database, string ScenarioJson, int WeeksTarget);

/// <summary>Schema → Coordinator: schema and base data are in place.</summary>
public record RunPrepared(string Database, int Films, int Customers, int Stores);

/// <summary>Any service → Coordinator: a stage failed for good; the run stops.</summary>
public record RunFailed(string Database, int Week, string Service, string Reason);

/// <summary>
/// Coordinator → Inventory: the week clock moved to <paramref name="Week"/>. Up to the pipeline
/// window of weeks are started ahead; the Inventory service takes them in week order.
/// </summary>
public record WeekStarted(string Database, int Week);

/// <summary>Inventory → Transaction: the stock changes of the week are written.</summary>
public record InventoryReady(
    string Database, int Week,
    IReadOnlyList<FilmReleased> Releases,
    [property: JsonConverter(typeof(PackedCopies))] IReadOnlyList<CopyAcquired> Acquired,
    double StageMilliseconds);

public record FilmReleased(int FilmId, int CategoryId, decimal RentalRate, int RentalDuration,
    decimal ReplacementCost, DateTime ReleasedAt);

public record CopyAcquired(int InventoryId, int FilmId, int StoreId, DateTime AcquiredAt);

/// <summary>Transaction → Payment: up to ~1,000 billable rental events of one week.</summary>
public record RentalBatch(string Database, int Week, int BatchNumber, int BatchCount,
    [property: JsonConverter(typeof(PackedRentalEvents))] IReadOnlyList<RentalEvent> Events);

public enum RentalEventKind { Rented = 0, Returned = 1, Lost = 2, LateFeePaid = 3, LateFeeWrittenOff = 4 }

/// <summary>
/// Something billable happened to a rental. Carries the film's terms so the Payment
/// service can bill without reading the catalogue.
/// </summary>
public record RentalEvent(
    long RentalId, int CustomerId, int StaffId, RentalEventKind Kind, DateTime At,
    DateTime RentalDate, decimal RentalRate, int RentalDuration, decimal ReplacementCost,
    DateTime? ReturnedAt = null);

/// <summary>
/// Transaction → Coordinator: the week's rentals and returns are written. Carries the inventory
/// stage's time too (from the week's InventoryReady), so the coordinator needs no message of its own for it.
/// </summary>
public record RentalsClosed(string Database, int Week, int BatchCount, int Rentals, int Returns,
    int Lost, int NewCustomers, int ActiveCustomers, int CheckedOut, double StageMilliseconds, double InventoryMilliseconds = 0);

/// <summary>
/// Payment → Coordinator: rental batches are billed — all the batches of one run that the Payment
/// service wrote in one transaction, so one message however many batches it took together.
/// </summary>
public record PaymentsRecorded(string Database, IReadOnlyList<BilledBatch> Batches);

/// <summary>
/// One billed rental batch: the payments it made and their sum, the late fees it billed, the change
/// in what customers owe (fees billed less fees paid or written off), and its share of the write's
/// time. The coordinator stores these per week, so run statistics need no scan of payment or late_fee.
/// </summary>
public record BilledBatch(int Week, int BatchNumber, int Payments, decimal Revenue, int LateFees, decimal ReceivablesChange,
    double StageMilliseconds);

/// <summary>Coordinator → anyone listening (CLI, dashboard): a week is fully done.</summary>
public record WeekCompleted(string Database, int Week, int Rentals, int Payments,
    double WallMilliseconds);

/// <summary>Coordinator → anyone listening: the run reached its target week.</summary>
public record RunCompleted(string Database, int Weeks);
