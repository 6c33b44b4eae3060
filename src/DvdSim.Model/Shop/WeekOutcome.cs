using DvdSim.Contracts;

namespace DvdSim.Model.Shop;

public sealed record SignUp(int CustomerId, int AddressId, int StoreId, DateTime CreatedAt, CustomerProfile Profile);

/// <summary>A rental row as it stands at the end of the week (ReturnDate null while out).</summary>
public sealed record RentalRecord(long RentalId, DateTime RentalDate, int InventoryId, int CustomerId, int StaffId,
    int FilmId, DateTime? ReturnDate);

public sealed record LossRecord(long RentalId, int InventoryId, DateTime DeclaredOn, decimal ReplacementCost);

public sealed record Churn(int CustomerId, DateOnly On, string Reason);

public sealed record Reactivation(int CustomerId, DateTime At);

/// <summary>A row of the inventory status audit trail (damaged, maintenance, available again, lost).</summary>
public sealed record StatusChange(int InventoryId, DateTime At, string Status, string Reason, DateTime? Until);

public sealed record SeasonalityEntry(int Week, DateOnly WeekStart, int Month, double Seasonal, double Growth,
    double Shock, string Phase, int PlannedRentals);

/// <summary>Everything one simulated week changed, ready to be written and billed.</summary>
public sealed class WeekOutcome(int week)
{
    public int Week { get; } = week;
    public List<SignUp> SignUps { get; } = [];
    public List<Churn> Churned { get; } = [];
    public List<Reactivation> Reactivated { get; } = [];
    public List<StatusChange> StatusChanges { get; } = [];
    /// <summary>Rentals that went out this week (some already back).</summary>
    public List<RentalRecord> NewRentals { get; } = [];
    /// <summary>Rentals from earlier weeks that came back this week.</summary>
    public List<RentalRecord> Returned { get; } = [];
    public List<LossRecord> Lost { get; } = [];
    /// <summary>Billable events in time order.</summary>
    public List<RentalEvent> Events { get; } = [];
    public int UnmetDemand { get; set; }
    public int ActiveCustomers { get; set; }
    public int CheckedOut { get; set; }
    public required SeasonalityEntry Seasonality { get; init; }

    public int Returns => Events.Count(e => e.Kind == RentalEventKind.Returned);
}
