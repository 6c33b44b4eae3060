using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DvdSim.Dashboard.Tests.Support;

/// <summary>
/// One simulated service's telemetry pipeline, built the way ServiceDefaults builds it: the real OpenTelemetry SDK
/// and OTLP exporter over http/protobuf, pointed at a dashboard. Source and meter names get a unique suffix so
/// tests never pick up each other's activities or measurements.
/// </summary>
internal sealed class ServiceTelemetry : IDisposable
{
    private readonly TracerProvider _tracerProvider;
    private readonly MeterProvider _meterProvider;
    private readonly ILoggerFactory _loggerFactory;

    public ServiceTelemetry(Uri otlpEndpoint, string serviceName, string? apiKey = null)
    {
        ServiceName = serviceName;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var sourceName = $"DvdSim.{char.ToUpperInvariant(serviceName[0])}{serviceName[1..]}.{suffix}";
        ActivitySource = new ActivitySource(sourceName);
        Meter = new Meter(sourceName);

        void Configure(OtlpExporterOptions options, string signal)
        {
            options.Endpoint = new Uri(otlpEndpoint, signal);
            options.Protocol = OtlpExportProtocol.HttpProtobuf;
            if (apiKey is not null) options.Headers = "x-otlp-api-key=" + apiKey;
        }

        _tracerProvider = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: serviceName + "-1"))
            .AddSource(sourceName)
            .AddOtlpExporter(options => Configure(options, "v1/traces"))
            .Build()!;

        _meterProvider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: serviceName + "-1"))
            .AddMeter(sourceName)
            .AddOtlpExporter((options, reader) =>
            {
                Configure(options, "v1/metrics");
                // Exported on ForceFlush only, so tests decide when points are taken.
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 3_600_000;
            })
            .Build()!;

        _loggerFactory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Trace)
            .AddOpenTelemetry(options =>
            {
                options.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(serviceName, serviceInstanceId: serviceName + "-1"));
                options.IncludeFormattedMessage = true;
                options.AddOtlpExporter(exporter => Configure(exporter, "v1/logs"));
            }));
        Logger = _loggerFactory.CreateLogger("DvdSim." + serviceName);
    }

    public string ServiceName { get; }
    public ActivitySource ActivitySource { get; }
    public Meter Meter { get; }
    public ILogger Logger { get; }

    public void FlushTraces() => Assert.True(_tracerProvider.ForceFlush(10_000), "trace export did not finish");

    public void FlushMetrics() => Assert.True(_meterProvider.ForceFlush(10_000), "metric export did not finish");

    /// <summary>Exports buffered logs; the logger factory can only be flushed by disposing it, so this ends logging.</summary>
    public void FlushLogsAndStopLogging() => _loggerFactory.Dispose();

    public void Dispose()
    {
        _tracerProvider.Dispose();
        _meterProvider.Dispose();
        _loggerFactory.Dispose();
        ActivitySource.Dispose();
        Meter.Dispose();
    }
}
