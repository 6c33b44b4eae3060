using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

[assembly: InternalsVisibleTo("DvdSim.AppHost.Tests")]

namespace DvdSim.AppHost.Benchmarks;

// bench.json: what one `bench` run measured. Keys are snake_case; a later bench reads an earlier
// one as its --baseline, so fields are only ever added.

internal sealed record BenchReport
{
    public const string CurrentSchema = "dvdsim-bench/1";

    public string Schema { get; init; } = CurrentSchema;
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public string? Commit { get; init; }
    public MachineFacts Machine { get; init; } = new();
    public IReadOnlyList<WorkloadResult> Workloads { get; init; } = [];
    public BaselineComparison? Comparison { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static BenchReport FromJson(string json) =>
        JsonSerializer.Deserialize<BenchReport>(json, Json) ?? throw new JsonException("bench.json is empty");
}

internal sealed record MachineFacts
{
    public int Cores { get; init; }
    public double MemoryGib { get; init; }
    public string CpuModel { get; init; } = "";
    public string Os { get; init; } = "";
    public string Kernel { get; init; } = "";
    public string Dotnet { get; init; } = "";
    public string? Mariadb { get; init; }
    public string? Rabbitmq { get; init; }
    /// <summary>Server settings that decide bulk-load speed (buffer pool, flush policy).</summary>
    public string? MariadbSettings { get; init; }
}

/// <summary>One workload's figures. Times are wall-clock seconds; rates are per wall-clock second.</summary>
internal sealed record WorkloadResult
{
    public string Workload { get; init; } = "";
    public string Description { get; init; } = "";
    /// <summary>The preset the scenario starts from, and the overrides applied to it.</summary>
    public string Scenario { get; init; } = "";
    public IReadOnlyList<string> Overrides { get; init; } = [];
    /// <summary>"bulk" (DvdSim) or "naive" (the old tool's per-rental strategy).</summary>
    public string Strategy { get; init; } = "bulk";
    public string Database { get; init; } = "";
    /// <summary>Weeks simulated, starter weeks included.</summary>
    public int Weeks { get; init; }
    public int StarterWeeks { get; init; }
    /// <summary>The main weeks were capped to this many (--weeks, NAME:WEEKS); null when the scenario ran in full.</summary>
    public int? WeeksCap { get; init; }
    public long Rentals { get; init; }
    public long Payments { get; init; }
    /// <summary>rental + payment rows: the rows the ceiling measurement loads too.</summary>
    public long Rows { get; init; }

    /// <summary>Cluster start-up (servers and services healthy); not part of <see cref="WallSeconds"/>.</summary>
    public double StartupSeconds { get; init; }
    /// <summary>POST /runs until the first week started: database, schema and base data.</summary>
    public double PrepareSeconds { get; init; }
    /// <summary>End to end: POST /runs until the run is completed (prepare + every week).</summary>
    public double WallSeconds { get; init; }
    public double RentalsPerSecond { get; init; }
    public double RowsPerSecond { get; init; }
    public double? CeilingRowsPerSecond { get; init; }
    /// <summary><see cref="RowsPerSecond"/> / <see cref="CeilingRowsPerSecond"/>.</summary>
    public double? CeilingFraction { get; init; }
    public CeilingResult? Ceiling { get; init; }

    /// <summary>Week 1 on its own: it also opens the shop (opening stock, first load of the shop, JIT warm-up).</summary>
    public double FirstWeekSeconds { get; init; }
    /// <summary>
    /// Mean seconds per week (time between week completions) over the first, middle and last tenth
    /// of the weeks after week 1.
    /// </summary>
    public double FirstDecileWeekSeconds { get; init; }
    public double MiddleDecileWeekSeconds { get; init; }
    public double LastDecileWeekSeconds { get; init; }
    /// <summary>last / first decile seconds per week. Above 1 also when the weeks simply hold more rentals.</summary>
    public double WeekSecondsRatio { get; init; }
    /// <summary>The same per 1,000 rentals: a cost that grows with history shows here, a busier season does not.</summary>
    [JsonPropertyName("first_decile_ms_per_1k_rentals")] public double FirstDecileMsPer1kRentals { get; init; }
    [JsonPropertyName("middle_decile_ms_per_1k_rentals")] public double MiddleDecileMsPer1kRentals { get; init; }
    [JsonPropertyName("last_decile_ms_per_1k_rentals")] public double LastDecileMsPer1kRentals { get; init; }
    public double PerRentalRatio { get; init; }
    /// <summary>Ten rows, first tenth of the weeks (after week 1) to last: the shape of the per-week cost.</summary>
    public IReadOnlyList<DecileRow> Deciles { get; init; } = [];

    /// <summary>Peak resident memory per resource (process tree), MB; "apphost" is this process (dashboard included).</summary>
    public IReadOnlyDictionary<string, double> PeakRssMb { get; init; } = new Dictionary<string, double>();
    /// <summary>Per resource, peak RSS in the last tenth of the weeks / in the middle tenth: near 1 when memory is bounded.</summary>
    public IReadOnlyDictionary<string, double> MemoryGrowth { get; init; } = new Dictionary<string, double>();
    /// <summary>
    /// CPU seconds (user + system) per resource during the run (start-up excluded): with 2 cores,
    /// their sum over the wall time says whether the run was CPU-bound and who used the cores.
    /// </summary>
    public IReadOnlyDictionary<string, double> CpuSeconds { get; init; } = new Dictionary<string, double>();
    /// <summary>The coordinator's per-week stage timings, added up over the run.</summary>
    public StageTotals? Stages { get; init; }
    /// <summary>Span time per service and kind, from the traces the dashboard received.</summary>
    public IReadOnlyList<TraceStage> TraceStages { get; init; } = [];
    /// <summary>The SQL statements that took the most time, per service, from the same traces.</summary>
    public IReadOnlyList<SqlStatementTime> TopSql { get; init; } = [];
    /// <summary>Only for runs cut short on purpose (the reference workload): the whole scenario, estimated.</summary>
    public Extrapolation? Extrapolation { get; init; }
    public string? Error { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Per-week timings, kept in memory for the reference comparison; not written.</summary>
    [JsonIgnore] public IReadOnlyList<WeekTiming> WeekTimings { get; init; } = [];
}

internal sealed record DecileRow(
    int FirstWeek, int LastWeek, double RentalsPerWeek, double WeekSeconds, [property: JsonPropertyName("ms_per_1k_rentals")] double MsPer1kRentals,
    double InventoryMs, double TransactionsMs, double PaymentsMs, double WaitMs)
{
    /// <summary>Peak RSS per resource (MB) while these weeks were under way.</summary>
    public IReadOnlyDictionary<string, double> PeakRssMb { get; init; } = new Dictionary<string, double>();
}

internal sealed record StageTotals(double InventoryMs, double TransactionsMs, double PaymentsMs, double WaitMs)
{
    public double TotalMs => InventoryMs + TransactionsMs + PaymentsMs + WaitMs;
}

/// <summary>
/// Span time of one service, by kind: "stage" (the service's own week/batch spans), "sql"
/// (MySqlConnector command spans), "messaging" (MassTransit send/receive spans).
/// </summary>
internal sealed record TraceStage(string Service, string Kind, long Spans, double TotalMs);

/// <summary>Time spent in one kind of SQL statement (its shape, without values) by one service.</summary>
internal sealed record SqlStatementTime(string Service, string Statement, long Count, double TotalMs);

internal sealed record CeilingResult(long RentalRows, long PaymentRows, double RentalSeconds, double PaymentSeconds,
    double RowsPerSecond, bool Capped, int ChunkRows)
{
    /// <summary>Waited before loading, for InnoDB to flush the pages the run left dirty.</summary>
    public double SettleSeconds { get; init; }
    /// <summary>
    /// The machine's own rise as a table grows: LOAD DATA time per row of the last tenth of the
    /// chunks over the first tenth, per table (null with fewer than ten chunks). DvdSim's per-rental
    /// ratio over the weeks compares with these: what exceeds them is DvdSim's.
    /// </summary>
    public double? RentalGrowth { get; init; }
    public double? PaymentGrowth { get; init; }
}

internal sealed record Extrapolation
{
    public string Method { get; init; } = "";
    /// <summary>Weeks actually simulated with this strategy.</summary>
    public int MeasuredWeeks { get; init; }
    public int FullWeeks { get; init; }
    public long FullRentals { get; init; }
    /// <summary>Estimated end-to-end time of the whole scenario with this strategy.</summary>
    public double WallSeconds { get; init; }
    public double RentalsPerSecond { get; init; }
    /// <summary>Fitted cost: ms per rental, plus ms per rental per million rentals already in the table.</summary>
    public double MsPerRental { get; init; }
    public double MsPerRentalPerMillionRows { get; init; }
    /// <summary>The bulk workload of the same scenario in this bench run, if any.</summary>
    public string? ComparedWith { get; init; }
    public double? BulkSecondsSameWeeks { get; init; }
    public double? NaiveSecondsSameWeeks { get; init; }
    public double? SpeedupSameWeeks { get; init; }
    public double? BulkWallSeconds { get; init; }
    public double? SpeedupFullRun { get; init; }
}

internal sealed record BaselineComparison
{
    public string Baseline { get; init; } = "";
    public DateTimeOffset? BaselineCreatedAt { get; init; }
    public double Threshold { get; init; }
    public bool Regression { get; init; }
    public IReadOnlyList<WorkloadComparison> Workloads { get; init; } = [];
}

internal sealed record WorkloadComparison
{
    public string Workload { get; init; } = "";
    public double? BaselineWallSeconds { get; init; }
    public double? WallSeconds { get; init; }
    /// <summary>now / baseline: above 1 is slower. Null when the runs are not the same length.</summary>
    public double? WallRatio { get; init; }
    public double? BaselineRentalsPerSecond { get; init; }
    public double? RentalsPerSecond { get; init; }
    /// <summary>now / baseline: below 1 is slower.</summary>
    public double? RentalsPerSecondRatio { get; init; }
    public bool Regression { get; init; }
    public string Verdict { get; init; } = "";
}
