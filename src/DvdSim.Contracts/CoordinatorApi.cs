namespace DvdSim.Contracts;

// The coordinator's HTTP API (JSON, camelCase), shared by the coordinator, the AppHost CLI and the dashboard.

/// <summary>POST /runs: a preset name, or a scenario text (JSON or YAML), plus key=value overrides.</summary>
public sealed record CreateRunRequest(string Database, string? Scenario = null, string? ScenarioText = null,
    string? Format = null, string[]? Overrides = null);

/// <summary>POST /runs/{database}/extend</summary>
public sealed record ExtendRunRequest(int Weeks);

/// <summary>A run as GET /runs and GET /runs/{database} show it. State: preparing, running, completed, failed.</summary>
public sealed record RunView(string Database, string Scenario, string State, int WeeksDone, int WeeksTarget, long Rentals,
    DateTimeOffset StartedAt, double? EtaSeconds, string? Error);

/// <summary>One simulated week as GET /runs/{database}/weeks shows it (timings in wall-clock milliseconds).</summary>
public sealed record WeekView(int Week, string WeekStart, string State, int Rentals, int Payments, int Returns, int Lost,
    int NewCustomers, int ActiveCustomers, int CheckedOut, double WallMs, double InventoryMs, double TransactionsMs,
    double PaymentsMs, double WaitMs, string? TraceId);

/// <summary>GET /runs/{database}/stats: the run's final statistics.</summary>
public sealed record RunStatistics(long TotalRentals, int ActiveCustomers, int Customers, int Inventory, int InventoryAdded,
    int InventoryLost, DateTime? FirstRental, DateTime? LastRental, int CheckedOut, double AverageRentalsPerWeek, long Payments,
    decimal Revenue, int Films, int WeeksCompleted, long LateFees, decimal Receivables);
