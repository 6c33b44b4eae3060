using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace DvdSim.Dashboard;

/// <summary>How the dashboard listens and how much telemetry it keeps.</summary>
public sealed class DashboardOptions
{
    /// <summary>Port of the web UI on 127.0.0.1; a free port is taken when it is in use. 0 = any free port.</summary>
    public int FrontendPort { get; init; } = 18888;

    /// <summary>Port of the OTLP/HTTP receiver on 127.0.0.1; a free port is taken when it is in use. 0 = any free port.</summary>
    public int OtlpPort { get; init; } = 18890;

    /// <summary>The login token of the web UI; a random one is generated when null or empty.</summary>
    public string? BrowserToken { get; init; }

    /// <summary>When set, OTLP requests must carry it in the <c>x-otlp-api-key</c> header (Aspire's ApiKey mode).</summary>
    public string? OtlpApiKey { get; init; }

    /// <summary>Largest OTLP request body accepted, after gzip decompression; larger ones get 413.</summary>
    public long MaxOtlpRequestBytes { get; init; } = 8 * 1024 * 1024;

    public TelemetryLimits TelemetryLimits { get; init; } = new();

    /// <summary>
    /// The Aspire dashboard this one sits beside (its base address). When set, DvdSim's dashboard is
    /// the weeks view Aspire lacks: its navigation holds Weeks and a link to the Aspire dashboard, and
    /// a week's trace opens there (/traces/detail/{traceId}), where the services send their telemetry.
    /// </summary>
    public Uri? AspireDashboard { get; init; }

    /// <summary>Where the dashboard's own warnings and errors go; nowhere when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Reads the options from configuration, using the standalone Aspire dashboard's key names where one exists:
    /// <c>Dashboard:Frontend:BrowserToken</c>, <c>Dashboard:Frontend:Port</c>, <c>Dashboard:Otlp:Port</c>,
    /// <c>Dashboard:Otlp:PrimaryApiKey</c>, <c>Dashboard:Otlp:MaxRequestBodySize</c> and <c>Dashboard:TelemetryLimits:*</c>.
    /// Missing keys keep their defaults.
    /// </summary>
    public static DashboardOptions FromConfiguration(IConfiguration configuration)
    {
        var dashboard = configuration.GetSection("Dashboard");
        var defaults = new DashboardOptions();
        var limits = dashboard.GetSection("TelemetryLimits");
        var defaultLimits = new TelemetryLimits();
        return new DashboardOptions
        {
            FrontendPort = dashboard.GetValue("Frontend:Port", defaults.FrontendPort),
            OtlpPort = dashboard.GetValue("Otlp:Port", defaults.OtlpPort),
            BrowserToken = dashboard["Frontend:BrowserToken"],
            OtlpApiKey = dashboard["Otlp:PrimaryApiKey"],
            MaxOtlpRequestBytes = dashboard.GetValue("Otlp:MaxRequestBodySize", defaults.MaxOtlpRequestBytes),
            TelemetryLimits = new TelemetryLimits
            {
                MaxTraceCount = limits.GetValue(nameof(TelemetryLimits.MaxTraceCount), defaultLimits.MaxTraceCount),
                MaxSpanCount = limits.GetValue(nameof(TelemetryLimits.MaxSpanCount), defaultLimits.MaxSpanCount),
                MaxLogCount = limits.GetValue(nameof(TelemetryLimits.MaxLogCount), defaultLimits.MaxLogCount),
                MaxMetricsCount = limits.GetValue(nameof(TelemetryLimits.MaxMetricsCount), defaultLimits.MaxMetricsCount),
                MaxAttributeCount = limits.GetValue(nameof(TelemetryLimits.MaxAttributeCount), defaultLimits.MaxAttributeCount),
                MaxAttributeLength = limits.GetValue(nameof(TelemetryLimits.MaxAttributeLength), defaultLimits.MaxAttributeLength),
                MaxSpanEventCount = limits.GetValue(nameof(TelemetryLimits.MaxSpanEventCount), defaultLimits.MaxSpanEventCount),
            },
        };
    }
}

/// <summary>
/// Bounds of the in-memory telemetry store, named like Aspire's <c>Dashboard:TelemetryLimits</c>.
/// When a bound is reached the oldest item is evicted.
/// </summary>
public sealed record TelemetryLimits
{
    /// <summary>Traces kept; the trace first seen longest ago goes first.</summary>
    public int MaxTraceCount { get; init; } = 10_000;

    /// <summary>Spans kept over all traces; whole traces are evicted, oldest first, to stay under it.</summary>
    public int MaxSpanCount { get; init; } = 250_000;

    public int MaxLogCount { get; init; } = 50_000;

    /// <summary>Metric data points kept over all instruments.</summary>
    public int MaxMetricsCount { get; init; } = 50_000;

    /// <summary>Attributes kept per span, log record, event or data point; the rest are dropped.</summary>
    public int MaxAttributeCount { get; init; } = 128;

    /// <summary>Characters kept per attribute value: bulk SQL statements would otherwise fill the store.</summary>
    public int MaxAttributeLength { get; init; } = 4_096;

    public int MaxSpanEventCount { get; init; } = 128;
}
