using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using DvdSim.Dashboard.Telemetry;
using DvdSim.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DvdSim.Dashboard.Web;

/// <summary>The token-protected JSON API the pages read (all under /api).</summary>
internal sealed partial class DashboardApi(
    TelemetryStore store,
    IResourceMonitor monitor,
    CoordinatorClient coordinator,
    JsonSerializerOptions json,
    IHostApplicationLifetime lifetime,
    ILogger logger)
{
    public void Map(WebApplication app)
    {
        app.MapGet("/api/resources", () => Results.Json(monitor.Resources(), json));
        app.MapPost("/api/resources/{name}/{action}", ResourceAction);
        app.MapGet("/api/resources/{name}/console", (string name, int? max) =>
            Results.Json(monitor.ConsoleLines(name, Math.Clamp(max ?? 1000, 1, 10_000)), json));
        app.MapGet("/api/resources/{name}/console/stream", StreamConsole);

        app.MapGet("/api/services", () => Results.Json(store.Services(), json));
        app.MapGet("/api/telemetry", () => Results.Json(new
        {
            traces = store.Traces.TraceCount,
            spans = store.Traces.SpanCount,
            logs = store.Logs.Count,
            metricPoints = store.Metrics.PointCount,
            limits = store.Limits,
        }, json));

        app.MapGet("/api/logs", (string? service, string? minLevel, string? text, string? traceId, long? after, int? limit) =>
        {
            LogLevel? level = Enum.TryParse<LogLevel>(minLevel, ignoreCase: true, out var parsed) ? parsed : null;
            var entries = store.Logs.Query(new LogQuery(service, level, text, traceId, after, Math.Clamp(limit ?? 500, 1, 5_000)));
            return Results.Json(entries, json);
        });

        app.MapGet("/api/traces", (string? service, string? name, double? minDurationMs, int? limit) =>
            Results.Json(store.Traces.Summaries(new TraceQuery(service, name, minDurationMs, Math.Clamp(limit ?? 200, 1, 2_000))), json));
        app.MapGet("/api/traces/find", (string database, int week) =>
            store.Traces.FindWeekTrace(database, week) is { } traceId
                ? Results.Json(new { traceId }, json)
                : NotFound($"no trace of week {week} of {database} has arrived"));
        app.MapGet("/api/traces/{traceId}", (string traceId) =>
        {
            var id = traceId.ToLowerInvariant();
            var spans = store.Traces.Spans(id);
            return spans is null
                ? NotFound($"trace {traceId} has not arrived or was evicted")
                : Results.Json(new { summary = store.Traces.Summary(id), spans }, json);
        });

        app.MapGet("/api/metrics", () => Results.Json(MetricsOverview.From(MetricTimeline.Build(store.Metrics.Series())), json));

        app.MapGet("/api/runs", async (CancellationToken cancellationToken) => FromCoordinator(await coordinator.Runs(cancellationToken)));
        app.MapGet("/api/runs/{database}/weeks", async (string database, CancellationToken cancellationToken) =>
            DatabaseName().IsMatch(database)
                ? FromCoordinator(await coordinator.Weeks(database, cancellationToken))
                : Results.Json(new { error = "a database name is letters, digits and underscores" }, json, statusCode: StatusCodes.Status400BadRequest));

        app.MapFallback("/api/{**rest}", () => NotFound("no such API"));
    }

    private async Task<IResult> ResourceAction(string name, string action, HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.Headers[BrowserAuthentication.RequestHeader] != "1")
        {
            return Results.Json(new { error = $"send the {BrowserAuthentication.RequestHeader}: 1 header" }, json, statusCode: StatusCodes.Status403Forbidden);
        }
        Func<string, CancellationToken, Task>? call = action switch
        {
            "start" => monitor.StartAsync,
            "stop" => monitor.StopAsync,
            "restart" => monitor.RestartAsync,
            _ => null,
        };
        if (call is null) return NotFound($"no action {action}: use start, stop or restart");
        if (monitor.Resources().All(r => r.Name != name)) return NotFound($"no resource {name}");
        try
        {
            await call(name, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Could not {Action} {Resource}", action, name);
            return Results.Json(new { error = $"could not {action} {name}: {exception.Message}" }, json, statusCode: StatusCodes.Status500InternalServerError);
        }
        return Results.Json(monitor.Resources().FirstOrDefault(r => r.Name == name), json);
    }

    /// <summary>Server-sent events: the resource's recent console lines, then each new line as it is written.</summary>
    private async Task StreamConsole(HttpContext context, string name)
    {
        var lines = Channel.CreateBounded<ConsoleLine>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        void OnLine(ConsoleLine line)
        {
            if (line.Resource == name) lines.Writer.TryWrite(line);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        monitor.ConsoleLineWritten += OnLine;
        try
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["X-Accel-Buffering"] = "no";

            // Subscribed before reading the backlog, so a line written in between arrives twice: skip those repeats.
            var backlog = monitor.ConsoleLines(name, 1000);
            var seen = new HashSet<ConsoleLine>(backlog);
            var backlogEnd = backlog.Count > 0 ? backlog[^1].At : DateTimeOffset.MinValue;
            foreach (var line in backlog) await WriteEvent(context.Response, line, stop.Token);
            await context.Response.WriteAsync(": backlog sent\n\n", stop.Token);
            await context.Response.Body.FlushAsync(stop.Token);

            while (await lines.Reader.WaitToReadAsync(stop.Token))
            {
                while (lines.Reader.TryRead(out var line))
                {
                    if (line.At <= backlogEnd && seen.Contains(line)) continue;
                    await WriteEvent(context.Response, line, stop.Token);
                }
                await context.Response.Body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The browser went away or the dashboard is stopping.
        }
        finally
        {
            monitor.ConsoleLineWritten -= OnLine;
        }
    }

    private Task WriteEvent(HttpResponse response, ConsoleLine line, CancellationToken cancellationToken) =>
        response.WriteAsync("data: " + JsonSerializer.Serialize(line, json) + "\n\n", cancellationToken);

    private IResult FromCoordinator<T>(CoordinatorAnswer<T> answer) => answer.Outcome switch
    {
        CoordinatorOutcome.Ok => Results.Json(answer.Value, json),
        CoordinatorOutcome.NotStarted => Results.Json(new { error = answer.Error }, json, statusCode: StatusCodes.Status503ServiceUnavailable),
        CoordinatorOutcome.NotFound => NotFound(answer.Error!),
        _ => Results.Json(new { error = answer.Error }, json, statusCode: StatusCodes.Status502BadGateway),
    };

    private IResult NotFound(string error) => Results.Json(new { error }, json, statusCode: StatusCodes.Status404NotFound);

    [GeneratedRegex("^[A-Za-z0-9_]{1,64}$")]
    private static partial Regex DatabaseName();
}
