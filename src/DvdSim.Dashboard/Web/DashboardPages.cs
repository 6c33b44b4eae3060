using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DvdSim.Dashboard.Web;

/// <summary>
/// The HTML pages: a server-rendered shell (nav bar, filters, empty tables and charts) that the page's script fills
/// from the JSON API and keeps live. Also the login page and the gate that sends everyone without the token to it.
/// </summary>
internal sealed partial class DashboardPages(BrowserAuthentication authentication, Uri? aspireDashboard = null)
{
    private static readonly (string Page, string Path, string Title)[] Navigation =
    [
        ("resources", "/resources", "Resources"),
        ("console", "/console", "Console"),
        ("logs", "/logs", "Structured logs"),
        ("traces", "/traces", "Traces"),
        ("weeks", "/weeks", "Weeks"),
        ("metrics", "/metrics", "Metrics"),
    ];

    private readonly string _layout = EmbeddedFiles.Page("layout.html");
    private readonly string _login = EmbeddedFiles.Page("login.html");

    /// <summary>Loopback host names only (no DNS rebinding), security headers, then the token gate.</summary>
    public void UseGate(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var host = context.Request.Host.Host;
            if (host is not ("127.0.0.1" or "localhost" or "[::1]" or "::1"))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("The dashboard answers on loopback addresses only.");
                return;
            }

            var headers = context.Response.Headers;
            headers["X-Content-Type-Options"] = "nosniff";
            headers["X-Frame-Options"] = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Content-Security-Policy"] =
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";
            headers.CacheControl = "no-store";

            var path = context.Request.Path;
            if (path.Equals("/login", StringComparison.OrdinalIgnoreCase) || authentication.IsAuthenticated(context.Request))
            {
                await next(context);
                return;
            }
            if (path.StartsWithSegments("/api") || !HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"error":"log in first: open the login URL the AppHost printed (/login?t=TOKEN)"}""");
                return;
            }
            await WriteLogin(context, StatusCodes.Status401Unauthorized, context.Request.Path + context.Request.QueryString, error: null);
        });
    }

    public void Map(WebApplication app)
    {
        app.MapGet("/login", async (HttpContext context, string? t, string? returnUrl) =>
        {
            if (t is null)
            {
                await WriteLogin(context, StatusCodes.Status200OK, returnUrl, error: null);
            }
            else if (authentication.IsValidToken(t))
            {
                authentication.SignIn(context.Response);
                context.Response.Redirect(BrowserAuthentication.SafeReturnUrl(returnUrl));
            }
            else
            {
                await WriteLogin(context, StatusCodes.Status401Unauthorized, returnUrl, "That token is not this dashboard's.");
            }
        });
        app.MapPost("/login", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var returnUrl = form["returnUrl"].ToString();
            if (authentication.IsValidToken(form["t"].ToString().Trim()))
            {
                authentication.SignIn(context.Response);
                context.Response.Redirect(BrowserAuthentication.SafeReturnUrl(returnUrl), permanent: false, preserveMethod: false);
                return;
            }
            await WriteLogin(context, StatusCodes.Status401Unauthorized, returnUrl, "That token is not this dashboard's.");
        });

        app.MapGet("/", () => Results.Redirect(aspireDashboard is null ? "/resources" : "/weeks"));
        app.MapGet("/resources", () => Page("resources", "Resources", "resources.html"));
        app.MapGet("/console", () => Page("console", "Console", "console.html"));
        app.MapGet("/logs", () => Page("logs", "Structured logs", "logs.html"));
        app.MapGet("/traces", () => Page("traces", "Traces", "traces.html"));
        app.MapGet("/traces/{traceId}", (string traceId) => TraceId().IsMatch(traceId)
            ? Page("trace", "Trace", "trace.html", ("trace-id", traceId.ToLowerInvariant()))
            : PageNotFound($"{traceId} is not a trace id (32 hex digits)."));
        app.MapGet("/weeks", () => aspireDashboard is null
            ? Page("weeks", "Weeks", "weeks.html")
            : Page("weeks", "Weeks", "weeks.html", ("trace-base", new Uri(aspireDashboard, "/traces/detail/").ToString())));
        app.MapGet("/metrics", () => Page("metrics", "Metrics", "metrics.html"));

        app.MapGet("/assets/{fileName}", (string fileName) => EmbeddedFiles.Asset(fileName) is { } bytes
            ? Results.Bytes(bytes, EmbeddedFiles.ContentTypeOf(fileName))
            : Results.NotFound());

        app.MapFallback(() => PageNotFound("There is no such page."));
    }

    private IResult Page(string page, string title, string contentFile, params (string Name, string Value)[] data)
    {
        var html = Render(page, title, EmbeddedFiles.Page(contentFile), data);
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private IResult PageNotFound(string message)
    {
        var html = Render("not-found", "Not found", $"<section class=\"panel\"><h1>Not found</h1><p>{WebUtility.HtmlEncode(message)}</p></section>", []);
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status404NotFound);
    }

    private string Render(string page, string title, string content, (string Name, string Value)[] data)
    {
        var navPage = page == "trace" ? "traces" : page;
        var nav = new StringBuilder();
        // Beside the Aspire dashboard only the weeks view is DvdSim's: the rest is Aspire's.
        foreach (var (id, path, text) in Navigation.Where(n => aspireDashboard is null || n.Page == "weeks"))
        {
            var current = id == navPage ? " aria-current=\"page\"" : "";
            nav.Append($"<a href=\"{path}\" data-page=\"{id}\"{current}>{WebUtility.HtmlEncode(text)}</a>");
        }
        if (aspireDashboard is not null)
            nav.Append($"<a href=\"{WebUtility.HtmlEncode(aspireDashboard.ToString())}\" data-page=\"aspire\">Aspire dashboard</a>");
        var attributes = string.Concat(data.Select(d => $" data-{d.Name}=\"{WebUtility.HtmlEncode(d.Value)}\""));
        var script = page == "not-found" ? "" : $"<script src=\"/assets/{page}.js\"></script>";
        return _layout
            .Replace("{{title}}", WebUtility.HtmlEncode(title))
            .Replace("{{page}}", page)
            .Replace("{{nav}}", nav.ToString())
            .Replace("{{main-attributes}}", attributes)
            .Replace("{{page-script}}", script)
            .Replace("{{content}}", content);
    }

    private async Task WriteLogin(HttpContext context, int statusCode, string? returnUrl, string? error)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/html; charset=utf-8";
        var html = _login
            .Replace("{{return-url}}", WebUtility.HtmlEncode(BrowserAuthentication.SafeReturnUrl(returnUrl)))
            .Replace("{{error}}", error is null ? "" : $"<p class=\"error\" id=\"login-error\">{WebUtility.HtmlEncode(error)}</p>");
        await context.Response.WriteAsync(html);
    }

    [GeneratedRegex("^[0-9a-fA-F]{32}$")]
    private static partial Regex TraceId();
}
