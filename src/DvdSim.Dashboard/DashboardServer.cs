using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using DvdSim.Dashboard.Otlp;
using DvdSim.Dashboard.Telemetry;
using DvdSim.Dashboard.Web;
using DvdSim.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DvdSim.Dashboard;

/// <summary>
/// DvdSim's dashboard, hosted in-process by the AppHost: an OTLP/HTTP receiver and a token-protected web UI,
/// both on 127.0.0.1 only.
/// <code>
/// await using var dashboard = await DashboardServer.StartAsync(new DashboardOptions(), resourceMonitor, () => coordinatorUrl, ct);
/// Console.WriteLine($"Dashboard: {dashboard.LoginUrl}");   // services get OTEL_EXPORTER_OTLP_ENDPOINT = dashboard.OtlpEndpoint
/// </code>
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);
    // The UI only ever receives the login form.
    private const long FrontendMaxRequestBytes = 64 * 1024;

    private readonly WebApplication _otlpApp;
    private readonly WebApplication _frontendApp;
    private readonly HttpClient _coordinatorHttp;
    private int _disposed;

    private DashboardServer(WebApplication otlpApp, WebApplication frontendApp, HttpClient coordinatorHttp, TelemetryStore telemetry, string token)
    {
        _otlpApp = otlpApp;
        _frontendApp = frontendApp;
        _coordinatorHttp = coordinatorHttp;
        Telemetry = telemetry;
        BrowserToken = token;
        FrontendUrl = ListeningAddress(frontendApp);
        OtlpEndpoint = ListeningAddress(otlpApp);
        LoginUrl = new Uri(FrontendUrl, "/login?t=" + Uri.EscapeDataString(token));
    }

    /// <summary>The web UI's base address, e.g. http://127.0.0.1:18888/.</summary>
    public Uri FrontendUrl { get; }

    /// <summary>The address to open in a browser: it logs in and lands on the Resources page.</summary>
    public Uri LoginUrl { get; }

    /// <summary>The OTLP/HTTP base address for OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://127.0.0.1:18890 (exporters append /v1/traces etc.).</summary>
    public Uri OtlpEndpoint { get; }

    public string BrowserToken { get; }

    /// <summary>What has been received so far.</summary>
    public TelemetryStore Telemetry { get; }

    /// <param name="coordinatorUrl">The coordinator's base address, or null while it is not running; asked on every Weeks request.</param>
    public static async Task<DashboardServer> StartAsync(
        DashboardOptions options,
        IResourceMonitor resourceMonitor,
        Func<Uri?> coordinatorUrl,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(resourceMonitor);
        ArgumentNullException.ThrowIfNull(coordinatorUrl);

        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("DvdSim.Dashboard");
        var token = string.IsNullOrEmpty(options.BrowserToken) ? BrowserAuthentication.NewToken() : options.BrowserToken;
        var telemetry = new TelemetryStore(options.TelemetryLimits);
        // The coordinator is a local process: never route it through a proxy from the environment.
        var coordinatorHttp = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

        WebApplication? otlpApp = null;
        try
        {
            otlpApp = await StartOnPort(options.OtlpPort, maxRequestBodyBytes: null, loggerFactory, app => new OtlpReceiver(telemetry, options, logger).Map(app), cancellationToken);
            var frontendApp = await StartOnPort(options.FrontendPort, FrontendMaxRequestBytes, loggerFactory, app =>
            {
                var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
                json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
                var pages = new DashboardPages(new BrowserAuthentication(token), options.AspireDashboard);
                pages.UseGate(app);
                var coordinator = new CoordinatorClient(coordinatorUrl, coordinatorHttp);
                new DashboardApi(telemetry, resourceMonitor, coordinator, json, app.Lifetime, logger).Map(app);
                pages.Map(app);
            }, cancellationToken);
            return new DashboardServer(otlpApp, frontendApp, coordinatorHttp, telemetry, token);
        }
        catch
        {
            if (otlpApp is not null)
            {
                await otlpApp.StopAsync(CancellationToken.None);
                await otlpApp.DisposeAsync();
            }
            coordinatorHttp.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        using (var timeout = new CancellationTokenSource(ShutdownTimeout))
        {
            try
            {
                await Task.WhenAll(_frontendApp.StopAsync(timeout.Token), _otlpApp.StopAsync(timeout.Token));
            }
            catch (OperationCanceledException)
            {
                // Requests still running after the timeout are cut off; disposing below closes their connections.
            }
        }
        await _frontendApp.DisposeAsync();
        await _otlpApp.DisposeAsync();
        _coordinatorHttp.Dispose();
    }

    // The preferred port, or any free one when it is taken (as when two AppHosts run side by side).
    private static async Task<WebApplication> StartOnPort(
        int port, long? maxRequestBodyBytes, ILoggerFactory loggerFactory, Action<WebApplication> configure, CancellationToken cancellationToken)
    {
        var app = Build(port, maxRequestBodyBytes, loggerFactory, configure);
        try
        {
            await app.StartAsync(cancellationToken);
            return app;
        }
        catch (IOException exception) when (port != 0 && IsAddressInUse(exception))
        {
            await app.DisposeAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var fallback = Build(0, maxRequestBodyBytes, loggerFactory, configure);
        try
        {
            await fallback.StartAsync(cancellationToken);
            return fallback;
        }
        catch
        {
            await fallback.DisposeAsync();
            throw;
        }
    }

    private static WebApplication Build(int port, long? maxRequestBodyBytes, ILoggerFactory loggerFactory, Action<WebApplication> configure)
    {
        // An empty builder: no appsettings, environment variables or URLs of the hosting process leak in.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DashboardServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Null for the OTLP receiver: it enforces its own configurable limit, after gzip decompression.
            kestrel.Limits.MaxRequestBodySize = maxRequestBodyBytes;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        var app = builder.Build();
        configure(app);
        return app;
    }

    internal IEnumerable<IHostLifetime> HostLifetimes() =>
        [_frontendApp.Services.GetRequiredService<IHostLifetime>(), _otlpApp.Services.GetRequiredService<IHostLifetime>()];

    private static bool IsAddressInUse(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is AddressInUseException) return true;
        }
        return false;
    }

    private static Uri ListeningAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var address = addresses.First();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }
}
