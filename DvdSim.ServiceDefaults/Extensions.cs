using System.Diagnostics;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The one place a DvdSim service gets telemetry, health checks, HTTP resilience, its MySQL
/// data source and its MassTransit bus — all from Aspire-style configuration
/// (ConnectionStrings__mysql, ConnectionStrings__messaging, OTEL_*).
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string MySqlConnectionName = "mysql";
    public const string MessagingConnectionName = "messaging";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder,
        Action<IBusRegistrationConfigurator>? configureBus = null,
        Action<IRabbitMqBusFactoryConfigurator, IBusRegistrationContext>? configureRabbit = null)
        where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.AddRunDatabases();
        builder.AddMessaging(configureBus, configureRabbit);
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // ASP.NET Core's own request lines at Warning, as its templates' appsettings.json sets them:
        // the CLI asks the coordinator for a run's progress five times a second, and two lines per
        // request made most of its log (and of the dashboard's). Inserted first, so that any setting
        // of the service's (environment, command line) still wins.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new("Logging:LogLevel:Microsoft.AspNetCore", "Warning")],
        });
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("DvdSim.*", "MassTransit", "MySqlConnector"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource("DvdSim.*", "MassTransit", "MySqlConnector")
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx =>
                    !ctx.Request.Path.StartsWithSegments("/health") && !ctx.Request.Path.StartsWithSegments("/alive"))
                .AddHttpClientInstrumentation());

        // Export only when an endpoint is configured, as Aspire's defaults do.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            builder.Services.AddOpenTelemetry().UseOtlpExporter();

        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Ready: every check passes (database and broker reachable).
        app.MapHealthChecks("/health");
        // Alive: the process answers.
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        return app;
    }

    /// <summary>Times a stage for the week's trace and for the stage timings the coordinator stores.</summary>
    public static Activity? StartStage(this ActivitySource source, string name, string database, int week)
    {
        var activity = source.StartActivity(name);
        activity?.SetTag("dvdsim.database", database);
        activity?.SetTag("dvdsim.week", week);
        return activity;
    }
}
