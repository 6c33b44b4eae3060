using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using DvdSim.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DvdSim.EndToEnd.Tests;

/// <summary>
/// The README's main command as a user runs it: the built AppHost simulates a short run under
/// Aspire and stays up; the Aspire dashboard (behind its token) shows the services and their week
/// traces, DvdSim's weeks view opens a week's trace in it, and SIGTERM leaves no process behind.
/// Screenshots under bin/…/screenshots (aspire-*.png).
/// </summary>
public sealed class AspireAppHostTests : IAsyncLifetime
{
    private const int Weeks = 6;
    private Process _host = null!;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void Terminate(int pid) => Process.Start("kill", ["-TERM", pid.ToString()])!.WaitForExit();

    public async Task InitializeAsync()
    {
        var configuration = typeof(AspireAppHostTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var appHost = Path.Combine(RepositoryRoot.Find(), "DvdSim.AppHost", "bin", configuration, "net10.0", "DvdSim.AppHost.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { appHost, "simulate", "--weeks", Weeks.ToString(), "--set", "starter_weeks=2", "--ephemeral" })
            start.ArgumentList.Add(argument);
        _host = Process.Start(start)!;
        _host.OutputDataReceived += (_, e) => OnLine(e.Data);
        _host.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _host.BeginOutputReadLine();
        _host.BeginErrorReadLine();
        var done = await Task.WhenAny(_up.Task, _host.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(3)));
        if (done != _up.Task) throw new InvalidOperationException("the AppHost did not finish its run and stay up:\n" + Output);
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        if (line.StartsWith("Press Ctrl+C to stop.", StringComparison.Ordinal)) _up.TrySetResult();
    }

    private string Output
    {
        get { lock (_output) return string.Join("\n", _output); }
    }

    private Uri Printed(string prefix) =>
        new(Regex.Match(Output, "^" + Regex.Escape(prefix) + @"\s*(http://\S+)", RegexOptions.Multiline) is { Success: true } m
            ? m.Groups[1].Value : throw new InvalidOperationException($"no '{prefix}' line in:\n{Output}"));

    [Fact]
    public async Task The_Aspire_dashboard_shows_the_week_traces_and_the_weeks_view_opens_one_then_SIGTERM_stops_everything()
    {
        var dashboard = Printed("Dashboard:");
        var weeks = Printed("Weeks:");
        Assert.Equal("127.0.0.1", dashboard.Host);
        Assert.Equal("127.0.0.1", weeks.Host);
        Assert.Contains($"{Weeks + 2} weeks simulated", Output);
        Assert.Contains("Password=********;", Output); // generated secrets are not printed unless asked

        SetDefaultExpectTimeout(60_000);
        Directory.CreateDirectory(DashboardTests.Screenshots);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await (await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1500, Height = 900 } })).NewPageAsync();
        page.SetDefaultTimeout(60_000);

        // Without the token the Aspire dashboard shows its login page, not the resources.
        await page.GotoAsync(new Uri(dashboard, "/").ToString());
        await page.WaitForURLAsync(new Regex("/login"));

        await page.GotoAsync(dashboard.ToString());
        foreach (var service in new[] { "coordinator", "inventory", "transactions", "payments", "schema", "mysql", "messaging" })
            await Expect(page.GetByText(service, new PageGetByTextOptions { Exact = true }).First).ToBeVisibleAsync();
        await Shot(page, "aspire-resources");

        await page.GotoAsync(new Uri(dashboard, "/traces").ToString());
        await Expect(page.Locator("[role=row]", new PageLocatorOptions { HasText = "coordinator" }).First).ToBeVisibleAsync();
        await Shot(page, "aspire-traces");

        // The weeks view: one bar per week; a click opens that week's trace in the Aspire dashboard.
        await page.GotoAsync(weeks.ToString());
        await Expect(page.Locator("#weeks-chart [data-week]")).ToHaveCountAsync(Weeks + 2);
        await Expect(page.Locator("nav a[data-page=aspire]")).ToHaveAttributeAsync("href", new Regex("^http://127.0.0.1:"));
        await Shot(page, "aspire-weeks");
        await page.Locator("#weeks-chart g.week-bar[data-week=\"4\"]").ClickAsync();
        // The URL is enough: the Aspire dashboard's page keeps loading (a live Blazor page), the rows below are waited for.
        await page.WaitForURLAsync(new Regex($"^{Regex.Escape(dashboard.GetLeftPart(UriPartial.Authority))}/traces/detail/[0-9a-f]{{32}}"),
            new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        foreach (var service in new[] { "coordinator", "inventory", "transactions", "payments" })
            await Expect(page.Locator("[role=row]", new PageLocatorOptions { HasText = service }).First).ToBeVisibleAsync();
        await Shot(page, "aspire-week-trace");

        var data = Regex.Match(Output, @"data: (\S+), deleted at exit").Groups[1].Value;
        Assert.NotEmpty(data);
        Terminate(_host.Id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _host.WaitForExitAsync(timeout.Token);
        Assert.True(_host.ExitCode == 0, $"exit code {_host.ExitCode}:\n{Output}");
        Assert.False(Directory.Exists(data), "the ephemeral data directory is removed");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (Tagged(data).Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.Empty(Tagged(data));
    }

    /// <summary>Processes carrying the owner tag of the AppHost's data directory.</summary>
    private static List<string> Tagged(string data) =>
        Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)).Where(d =>
        {
            try { return File.ReadAllText(Path.Combine(d, "environ")).Contains($"DVDSIM_OWNER={data}|", StringComparison.Ordinal); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        }).ToList();

    private static Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardTests.Screenshots, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (!_host.HasExited)
        {
            Terminate(_host.Id);
            if (!_host.WaitForExit(TimeSpan.FromSeconds(30))) _host.Kill(entireProcessTree: true);
        }
        _host.Dispose();
        await Task.CompletedTask;
    }
}
