using System.Net;
using DvdSim.Dashboard.Tests.Support;

namespace DvdSim.Dashboard.Tests;

/// <summary>Every page and API needs the login token; /login?t=TOKEN trades it for a cookie.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private const string SomeTraceId = "0af7651916cd43dd8448eb211c80319c";

    private static readonly string[] PagePaths =
    [
        "/", "/resources", "/console", "/logs", "/logs?service=inventory", "/traces", $"/traces/{SomeTraceId}", "/weeks", "/metrics",
        "/assets/dashboard.js", "/assets/dashboard.css", "/no-such-page",
    ];

    private static readonly string[] ApiPaths =
    [
        "/api/resources", "/api/resources/inventory/console", "/api/resources/inventory/console/stream", "/api/services", "/api/telemetry",
        "/api/logs", "/api/traces", $"/api/traces/{SomeTraceId}", "/api/traces/find?database=d1&week=1", "/api/metrics",
        "/api/runs", "/api/runs/d1/weeks", "/api/no-such-api",
    ];

    public static TheoryData<string> Pages => Rows(PagePaths);

    public static TheoryData<string> Apis => Rows(ApiPaths);

    private static TheoryData<string> Rows(IEnumerable<string> paths)
    {
        var rows = new TheoryData<string>();
        foreach (var path in paths) rows.Add(path);
        return rows;
    }

    private DashboardServer _dashboard = null!;
    private readonly FakeResourceMonitor _monitor = new("inventory");

    public async Task InitializeAsync() => _dashboard = await TestDashboard.StartAsync(monitor: _monitor);

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task A_page_without_the_token_shows_the_login_form_with_401(string path)
    {
        using var client = TestDashboard.Client(_dashboard, loggedIn: false);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"login-form\"", html);
        Assert.Contains($"name=\"returnUrl\" value=\"{WebUtility.HtmlEncode(path)}\"", html);
        Assert.DoesNotContain(TestDashboard.Token, html);
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task An_api_without_the_token_answers_401(string path)
    {
        using var client = TestDashboard.Client(_dashboard, loggedIn: false);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Actions_without_the_token_answer_401_and_do_nothing()
    {
        using var client = TestDashboard.Client(_dashboard, loggedIn: false);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/resources/inventory/stop");
        request.Headers.Add("X-Dashboard-Request", "1");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
        Assert.Empty(_monitor.Calls);
    }

    [Fact]
    public async Task Logging_in_sets_an_http_only_cookie_that_opens_every_page_and_api()
    {
        using var client = TestDashboard.Client(_dashboard, loggedIn: false);
        var login = await client.GetAsync(_dashboard.LoginUrl);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestDashboard.Token, setCookie);
        var cookie = setCookie.Split(';')[0];

        foreach (var path in PagePaths.Concat(ApiPaths))
        {
            if (path.EndsWith("/stream", StringComparison.Ordinal)) continue; // never ends; covered by the console test
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Cookie", cookie);
            var response = await client.SendAsync(request);
            var expected = path switch
            {
                "/" => HttpStatusCode.Redirect,
                "/no-such-page" or "/api/no-such-api" or "/api/traces/find?database=d1&week=1" => HttpStatusCode.NotFound,
                $"/api/traces/{SomeTraceId}" => HttpStatusCode.NotFound,
                "/api/runs" or "/api/runs/d1/weeks" => HttpStatusCode.ServiceUnavailable, // no coordinator in this test
                _ => HttpStatusCode.OK,
            };
            Assert.True(expected == response.StatusCode, $"{path}: expected {expected}, got {response.StatusCode}");
        }
    }

    [Fact]
    public async Task Pages_render_with_the_nav_bar_when_logged_in()
    {
        using var client = TestDashboard.Client(_dashboard, loggedIn: true);
        var html = await client.GetStringAsync("/weeks");
        foreach (var page in new[] { "resources", "console", "logs", "traces", "weeks", "metrics" })
        {
            Assert.Contains($"data-page=\"{page}\"", html);
        }
        Assert.Contains("<a href=\"/weeks\" data-page=\"weeks\" aria-current=\"page\">", html);
        Assert.Contains("<script src=\"/assets/weeks.js\"></script>", html);
        Assert.Contains($"data-trace-id=\"{SomeTraceId}\"", await client.GetStringAsync($"/traces/{SomeTraceId.ToUpperInvariant()}"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/traces/not-a-trace-id")).StatusCode);
        foreach (var asset in new[] { "dashboard.js", "dashboard.css", "resources.js", "console.js", "logs.js", "traces.js", "trace.js", "weeks.js", "metrics.js" })
        {
            var response = await client.GetAsync("/assets/" + asset);
            Assert.True(response.StatusCode == HttpStatusCode.OK, asset);
        }
    }

    [Fact]
    public async Task A_wrong_token_is_refused()
    {
        using var client = TestDashboard.Client(_dashboard, loggedIn: false);
        var response = await client.GetAsync("/login?t=wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Contains("login-error", await response.Content.ReadAsStringAsync());

        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/resources")).StatusCode);
        client.DefaultRequestHeaders.Authorization = null;
        client.DefaultRequestHeaders.Add("Cookie", "dvdsim_dashboard=" + TestDashboard.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/resources")).StatusCode);
    }

    [Fact]
    public async Task The_login_form_posts_the_token_and_returns_to_the_page_asked_for()
    {
        using var client = TestDashboard.Client(_dashboard, loggedIn: false);
        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["t"] = TestDashboard.Token,
            ["returnUrl"] = "/logs?service=inventory",
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/logs?service=inventory", response.Headers.Location?.OriginalString);
        Assert.True(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    public async Task The_login_never_redirects_off_the_dashboard(string returnUrl)
    {
        using var client = TestDashboard.Client(_dashboard, loggedIn: false);
        var response = await client.GetAsync($"/login?t={TestDashboard.Token}&returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Requests_for_other_host_names_are_refused()
    {
        using var client = TestDashboard.Client(_dashboard, loggedIn: true);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/resources");
        request.Headers.Host = "attacker.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(request)).StatusCode);
        var localhost = new HttpRequestMessage(HttpMethod.Get, "/api/resources");
        localhost.Headers.Host = $"localhost:{_dashboard.FrontendUrl.Port}";
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(localhost)).StatusCode);
    }

    [Fact]
    public async Task The_otlp_port_serves_no_pages()
    {
        using var client = new HttpClient { BaseAddress = _dashboard.OtlpEndpoint };
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/resources")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.GetAsync("/v1/traces")).StatusCode);
    }
}
