namespace DvdSim.Contracts;

// The scenario model: plain data, loaded from JSON or YAML (snake_case keys), overridden
// key by key from the command line, validated by DvdSim.Model.ScenarioValidator.

public sealed record Scenario
{
    public string Name { get; init; } = "standard-3y";
    public string Description { get; init; } = "";
    public long Seed { get; init; } = 42;
    /// <summary>First day of the main simulation; starter weeks come just before it.</summary>
    public DateOnly StartDate { get; init; } = new(2001, 10, 1);
    /// <summary>Weeks of the main simulation (after the starter weeks).</summary>
    public int Weeks { get; init; } = 156;
    public int StarterWeeks { get; init; } = 12;

    public CatalogSettings Catalog { get; init; } = new();
    public StoreSettings Stores { get; init; } = new();
    public DemandSettings Demand { get; init; } = new();
    public CustomerSettings Customers { get; init; } = new();
    public PopularitySettings Popularity { get; init; } = new();
    public ReturnSettings Returns { get; init; } = new();
    public InventorySettings Inventory { get; init; } = new();
    public ReleaseSettings Releases { get; init; } = new();
    public FeeSettings Fees { get; init; } = new();

    // Level 4: the business lifecycle. Defaults leave them off; every key is applied when set.
    public BusinessPhase[] Phases { get; init; } = [];
    public CustomerSegment[] Segments { get; init; } = [];
    public LateFeePayments LateFeePayments { get; init; } = new();
    public DamageSettings Damage { get; init; } = new();
}

/// <summary>A stretch of weeks with its own volume and customer behaviour (growth, plateau, decline, reactivation…).</summary>
public sealed record BusinessPhase
{
    public string Name { get; init; } = "";
    public int FromWeek { get; init; }
    public int ToWeek { get; init; }
    public double VolumeMultiplier { get; init; } = 1.0;
    public double SignUpMultiplier { get; init; } = 1.0;
    public double ChurnMultiplier { get; init; } = 1.0;
    /// <summary>Weekly chance that a dormant (churned) customer comes back.</summary>
    public double ReactivationShare { get; init; }
}

/// <summary>A kind of customer, assigned at sign-up by share; replaces loyal/regular when any are given.</summary>
public sealed record CustomerSegment
{
    public string Name { get; init; } = "";
    public double Share { get; init; }
    public double Activity { get; init; } = 1.0;
    /// <summary>Weekly chance that an active customer of this segment goes dormant.</summary>
    public double WeeklyChurn { get; init; }
    /// <summary>Expected weeks before the customer goes dormant (0: no limit).</summary>
    public double LifetimeWeeks { get; init; }
    public int MaxSimultaneousRentals { get; init; } = 5;
    /// <summary>Exempt from the inactivity rule (they come back, however long the pause).</summary>
    public bool NeverInactive { get; init; }
}

/// <summary>
/// How late fees are settled. Billed on return; then paid at once, paid later in full, paid
/// partly (the rest written off), or never paid (written off). Shares must add up to 1.
/// </summary>
public sealed record LateFeePayments
{
    public double PayOnReturnShare { get; init; } = 1.0;
    public double PayLaterShare { get; init; }
    public double PayPartlyShare { get; init; }
    public double NeverPayShare { get; init; }
    public int PayLaterDaysMax { get; init; } = 60;
    public decimal PartialFraction { get; init; } = 0.5m;
    public int WriteOffAfterDays { get; init; } = 120;
    /// <summary>A customer owing more than this cannot rent until they pay (0: never suspended).</summary>
    public decimal SuspendAboveBalance { get; init; }
}

/// <summary>Copies damaged on return go to maintenance, or are retired when beyond repair.</summary>
public sealed record DamageSettings
{
    public double DamagedShare { get; init; }
    public int MaintenanceDays { get; init; } = 7;
    public double BeyondRepairShare { get; init; } = 0.2;
}

public sealed record CatalogSettings
{
    public int Films { get; init; } = 500;
    public int Actors { get; init; } = 200;
    /// <summary>Use Sakila's 0.99 / 2.99 / 4.99 tiers instead of 2.99–9.99.</summary>
    public bool SakilaRateTiers { get; init; }
    public decimal RentalRateMin { get; init; } = 2.99m;
    public decimal RentalRateMax { get; init; } = 9.99m;
    public int RentalDurationMin { get; init; } = 3;
    public int RentalDurationMax { get; init; } = 7;
    public int ReleaseYearMin { get; init; } = 1980;
}

public sealed record StoreSettings
{
    public int Count { get; init; } = 2;
    public int ClerksPerStore { get; init; } = 2;
    public int InitialCopiesMin { get; init; } = 2;
    public int InitialCopiesMax { get; init; } = 5;
}

public sealed record DemandSettings
{
    /// <summary>Rentals in an average week at the start, before any multiplier.</summary>
    public double BaseWeeklyRentals { get; init; } = 220;
    /// <summary>Compound growth per year (0.10 = +10 % a year).</summary>
    public double AnnualGrowth { get; init; } = 0.10;
    /// <summary>Multipliers by month, January first.</summary>
    public double[] MonthlySeasonality { get; init; } =
        [1.20, 0.90, 1.10, 1.15, 1.20, 1.80, 2.00, 1.90, 1.30, 1.25, 1.40, 1.60];
    /// <summary>Day-of-week weights, Monday first, once the shop is established.</summary>
    public double[] WeekdayWeights { get; init; } = [0.8, 0.8, 0.9, 1.0, 1.4, 1.7, 1.4];
    /// <summary>Day-of-week weights in the opening weeks; they blend into WeekdayWeights.</summary>
    public double[] OpeningWeekdayWeights { get; init; } = [1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.1];
    public int WeekdayShiftWeeks { get; init; } = 26;
    public double SpikeDayShare { get; init; } = 0.05;
    public double SpikeMultiplier { get; init; } = 4.0;
    /// <summary>Forced boosts or drops over week ranges of the main simulation.</summary>
    public VolumeShock[] Shocks { get; init; } = [];
}

public sealed record VolumeShock
{
    public int FromWeek { get; init; }
    public int ToWeek { get; init; }
    public double Multiplier { get; init; } = 1.0;
    public string Reason { get; init; } = "";
}

public sealed record CustomerSettings
{
    public int Initial { get; init; } = 150;
    public double NewPerWeek { get; init; } = 8;
    /// <summary>A customer with no rental for this many weeks churns (for good).</summary>
    public int ChurnAfterInactiveWeeks { get; init; } = 16;
    /// <summary>Share of customers who are loyal: they never churn.</summary>
    public double LoyalShare { get; init; } = 0.20;
    /// <summary>Loyal customers rent this many times as often.</summary>
    public double LoyalActivity { get; init; } = 2.0;
    public int NoRepeatDays { get; init; } = 30;
    public int MaxSimultaneousRentals { get; init; } = 5;
}

public sealed record PopularitySettings
{
    public double ZipfAlpha { get; init; } = 1.0;
    public double NewReleaseBoost { get; init; } = 3.0;
    public int NewReleaseBoostDays { get; init; } = 40;
    public double BoostedReleaseShare { get; init; } = 0.10;
    /// <summary>Chance that a customer takes the newest free copy rather than any free copy.</summary>
    public double NewerCopyPreference { get; init; } = 0.7;
}

public sealed record ReturnSettings
{
    public double LateShare { get; init; } = 0.30;
    public int LateDaysMax { get; init; } = 14;
    public double NeverReturnedShare { get; init; } = 0.005;
    /// <summary>Days past due after which an unreturned copy is declared lost.</summary>
    public int LostAfterDaysOverdue { get; init; } = 30;
}

public sealed record InventorySettings
{
    public PurchaseOrder[] Schedule { get; init; } = [];
    public PurchaseRule[] Rules { get; init; } = [new() { EveryWeeks = 13, Quantity = 16, Reason = "quarterly restock" }];
}

public sealed record PurchaseOrder
{
    public int Week { get; init; }
    public int Quantity { get; init; }
    public string Reason { get; init; } = "";
}

public sealed record PurchaseRule
{
    public int EveryWeeks { get; init; }
    public int Quantity { get; init; }
    public string Reason { get; init; } = "";
}

public sealed record ReleaseSettings
{
    public double FilmsPerWeek { get; init; } = 1.0;
    /// <summary>The hot category changes every this many weeks.</summary>
    public int HotCategoryWeeks { get; init; } = 8;
    public double HotCategoryShare { get; init; } = 0.5;
    public int CopiesPerStore { get; init; } = 2;
}

public sealed record FeeSettings
{
    public decimal LateFeePerDay { get; init; } = 1.50m;
}
