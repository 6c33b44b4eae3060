using System.Net;

namespace DvdSim.Dashboard.Tests.Support;

internal static class TestDashboard
{
    public const string Token = "test-token-0123456789";

    /// <summary>Options on free ports (never the 18888/18890 defaults a developer's AppHost may be using).</summary>
    public static DashboardOptions Options(TelemetryLimits? limits = null, long? maxOtlpRequestBytes = null, string? otlpApiKey = null) => new()
    {
        FrontendPort = 0,
        OtlpPort = 0,
        BrowserToken = Token,
        OtlpApiKey = otlpApiKey,
        TelemetryLimits = limits ?? new TelemetryLimits(),
        MaxOtlpRequestBytes = maxOtlpRequestBytes ?? 8 * 1024 * 1024,
    };

    public static Task<DashboardServer> StartAsync(DashboardOptions? options = null, FakeResourceMonitor? monitor = null, Func<Uri?>? coordinator = null) =>
        DashboardServer.StartAsync(options ?? Options(), monitor ?? new FakeResourceMonitor("inventory"), coordinator ?? (() => null));

    /// <summary>An HttpClient that does not follow redirects and sends no cookie unless told.</summary>
    public static HttpClient Client(DashboardServer dashboard, bool loggedIn)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = dashboard.FrontendUrl };
        if (loggedIn) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>Logs in through /login?t=… like a browser and returns a client carrying the cookie it got.</summary>
    public static async Task<HttpClient> CookieClient(DashboardServer dashboard)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = dashboard.FrontendUrl };
        var login = await client.GetAsync(dashboard.LoginUrl);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return client;
    }
}
