using DvdSim.Contracts;
using System.Diagnostics;

namespace DvdSim.Coordinator.Runs;

public enum RunStatus { Preparing, Running, Completed, Failed }

/// <summary>A week between WeekStarted and WeekCompleted.</summary>
public sealed class WeekInFlight(int week, DateOnly weekStart, Activity? activity)
{
    public int Week { get; } = week;
    public DateOnly WeekStart { get; } = weekStart;
    public Activity? Activity { get; } = activity;
    public DateTime StartedAt { get; } = DateTime.UtcNow;
    public long StartedTimestamp { get; } = Stopwatch.GetTimestamp();
    public TimeSpan Age => Stopwatch.GetElapsedTime(StartedTimestamp);
    public double InventoryMs { get; set; }
    public RentalsClosedInfo? Closed { get; set; }
    public Dictionary<int, BilledBatch> Recorded { get; } = new();

    public bool IsComplete => Closed is { } c && Recorded.Count >= c.BatchCount;
}

public sealed record RentalsClosedInfo(int BatchCount, int Rentals, int Returns, int Lost, int NewCustomers,
    int ActiveCustomers, int CheckedOut, double TransactionsMs);

/// <summary>Where one run stands. All changes happen under <see cref="Gate"/>.</summary>
public sealed class RunProgress(string database, string scenarioName, int weeksTarget)
{
    public string Database { get; } = database;
    public string ScenarioName { get; } = scenarioName;
    public SemaphoreSlim Gate { get; } = new(1, 1);
    public RunStatus Status { get; set; } = RunStatus.Preparing;
    public string? Error { get; set; }
    public int WeeksTarget { get; set; } = weeksTarget;
    /// <summary>Weeks 1..WeeksCompleted are complete.</summary>
    public int WeeksCompleted { get; set; }
    public HashSet<int> CompletedAhead { get; } = new();
    /// <summary>The highest week started so far.</summary>
    public int LastStarted { get; set; }
    public SortedDictionary<int, WeekInFlight> InFlight { get; } = new();
    public long Rentals { get; set; }
    public DateTimeOffset StartedAt { get; set; } = DateTimeOffset.UtcNow;
    public Stopwatch Clock { get; } = Stopwatch.StartNew();
    public int WeeksAtStart { get; set; }
    /// <summary>When the last week completed (Stopwatch timestamp), for the marginal cost of the next.</summary>
    public long LastCompletedTimestamp { get; set; }
    /// <summary>When the last week started: the stall watchdog compares against it.</summary>
    public DateTimeOffset LastActivityAt { get; set; } = DateTimeOffset.UtcNow;

    public double? EtaSeconds
    {
        get
        {
            var done = WeeksCompleted - WeeksAtStart;
            if (Status != RunStatus.Running || done <= 0) return null;
            return Math.Round(Clock.Elapsed.TotalSeconds / done * (WeeksTarget - WeeksCompleted), 1);
        }
    }
}
