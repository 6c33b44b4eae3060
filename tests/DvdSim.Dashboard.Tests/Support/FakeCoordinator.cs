using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DvdSim.Dashboard.Tests.Support;

/// <summary>The coordinator's run API (GET /runs, GET /runs/{database}/weeks) serving fixed JSON on a free loopback port.</summary>
internal sealed class FakeCoordinator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeCoordinator(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int RequestCount;

    /// <summary>The runs, as the coordinator's JSON objects; tests may replace them.</summary>
    public volatile object[] Runs = [];

    /// <summary>Weeks per database, as the coordinator's JSON objects.</summary>
    public volatile Dictionary<string, object[]> Weeks = new();

    public static async Task<FakeCoordinator> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        FakeCoordinator? coordinator = null;
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        app.MapGet("/runs", () =>
        {
            Interlocked.Increment(ref coordinator!.RequestCount);
            return Results.Json(coordinator.Runs, json);
        });
        app.MapGet("/runs/{database}/weeks", (string database) =>
        {
            Interlocked.Increment(ref coordinator!.RequestCount);
            return coordinator.Weeks.TryGetValue(database, out var weeks) ? Results.Json(weeks, json) : Results.NotFound();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        coordinator = new FakeCoordinator(app, new Uri(address));
        return coordinator;
    }

    /// <summary>A run of <paramref name="weekCount"/> finished weeks whose cost grows a little each week.</summary>
    public static object[] WeeksOf(int weekCount, Func<int, string?> traceIdOfWeek) =>
        Enumerable.Range(1, weekCount).Select(week => (object)new
        {
            week,
            weekStart = new DateOnly(2001, 7, 9).AddDays(7 * (week - 1)).ToString("yyyy-MM-dd"),
            rentals = 400 + 15 * (week % 5),
            payments = 420 + 15 * (week % 5),
            wallMs = 12.3 + 0.6 * week,
            inventoryMs = 1.2 + 0.05 * week,
            transactionsMs = 5.5 + 0.4 * week,
            paymentsMs = 3.1 + 0.1 * week,
            waitMs = 2.5 + 0.05 * week,
            traceId = traceIdOfWeek(week),
        }).ToArray();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
