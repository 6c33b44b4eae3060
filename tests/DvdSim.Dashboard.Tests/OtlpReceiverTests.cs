using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using DvdSim.Dashboard.Otlp.Proto.Collector.Trace;
using DvdSim.Dashboard.Otlp.Proto.Common;
using DvdSim.Dashboard.Otlp.Proto.Resource;
using DvdSim.Dashboard.Otlp.Proto.Trace;
using DvdSim.Dashboard.Telemetry;
using DvdSim.Dashboard.Tests.Support;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Microsoft.Extensions.Logging;
using RpcStatus = DvdSim.Dashboard.Otlp.Proto.Rpc.Status;

namespace DvdSim.Dashboard.Tests;

/// <summary>The OTLP/HTTP receiver fed by the real OpenTelemetry .NET exporter (http/protobuf), and by hand-made bad requests.</summary>
public sealed class OtlpReceiverTests
{
    [Fact]
    public async Task Spans_from_the_exporter_keep_names_attributes_parents_and_service()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        using var coordinator = new ServiceTelemetry(dashboard.OtlpEndpoint, "coordinator");
        using var inventory = new ServiceTelemetry(dashboard.OtlpEndpoint, "inventory");

        string traceId, rootId, childId;
        using (var root = coordinator.ActivitySource.StartActivity("week 3")!)
        {
            root.SetTag("dvdsim.database", "d1");
            root.SetTag("dvdsim.week", 3);
            root.SetTag("dvdsim.pipelined", true);
            root.SetTag("dvdsim.share", 0.25);
            traceId = root.TraceId.ToHexString();
            rootId = root.SpanId.ToHexString();
            using var child = inventory.ActivitySource.StartActivity("InventoryReady publish", ActivityKind.Producer, root.Context)!;
            childId = child.SpanId.ToHexString();
            child.AddEvent(new ActivityEvent("stock counted", tags: new ActivityTagsCollection { ["copies"] = 12 }));
            child.SetStatus(ActivityStatusCode.Error, "shelf collapsed");
        }
        coordinator.FlushTraces();
        inventory.FlushTraces();

        await Eventually.True(() => dashboard.Telemetry.Traces.Spans(traceId)?.Count == 2, "both spans");
        var spans = dashboard.Telemetry.Traces.Spans(traceId)!;
        var rootSpan = Assert.Single(spans, s => s.SpanId == rootId);
        Assert.Equal("week 3", rootSpan.Name);
        Assert.Equal("coordinator", rootSpan.Service);
        Assert.Equal("coordinator-1", rootSpan.ServiceInstanceId);
        Assert.Null(rootSpan.ParentSpanId);
        Assert.Equal("internal", rootSpan.Kind);
        Assert.StartsWith("DvdSim.Coordinator.", rootSpan.Scope);
        Assert.Equal("d1", rootSpan.Attribute("dvdsim.database"));
        Assert.Equal("3", rootSpan.Attribute("dvdsim.week"));
        Assert.Equal("true", rootSpan.Attribute("dvdsim.pipelined"));
        Assert.Equal("0.25", rootSpan.Attribute("dvdsim.share"));
        Assert.InRange(rootSpan.Start, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);

        var childSpan = Assert.Single(spans, s => s.SpanId == childId);
        Assert.Equal(rootId, childSpan.ParentSpanId);
        Assert.Equal("inventory", childSpan.Service);
        Assert.Equal("producer", childSpan.Kind);
        Assert.Equal("error", childSpan.Status);
        Assert.Equal("shelf collapsed", childSpan.StatusMessage);
        var stockCounted = Assert.Single(childSpan.Events);
        Assert.Equal("stock counted", stockCounted.Name);
        Assert.Equal(new TelemetryAttribute("copies", "12"), Assert.Single(stockCounted.Attributes));
        Assert.True(childSpan.Start >= rootSpan.Start && childSpan.End <= rootSpan.End);

        var summary = Assert.Single(dashboard.Telemetry.Traces.Summaries(new TraceQuery()));
        Assert.Equal("week 3", summary.RootName);
        Assert.Equal(["coordinator", "inventory"], summary.Services);
        Assert.True(summary.HasError);
        Assert.Equal(traceId, dashboard.Telemetry.Traces.FindWeekTrace("d1", 3));
        Assert.Null(dashboard.Telemetry.Traces.FindWeekTrace("d2", 3));
        Assert.Equal(["coordinator", "inventory"], dashboard.Telemetry.Services());
    }

    [Fact]
    public async Task Logs_from_the_exporter_keep_level_message_attributes_and_trace()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        using var payments = new ServiceTelemetry(dashboard.OtlpEndpoint, "payments");

        string traceId, spanId;
        using (var activity = payments.ActivitySource.StartActivity("RentalBatch consume")!)
        {
            traceId = activity.TraceId.ToHexString();
            spanId = activity.SpanId.ToHexString();
            payments.Logger.LogWarning("Week {Week} wrote {Rows} payments", 3, 420);
        }
        payments.Logger.LogDebug("Batch size {Size}", 1000);
        payments.FlushLogsAndStopLogging();

        await Eventually.True(() => dashboard.Telemetry.Logs.Count == 2, "two log records");
        var all = dashboard.Telemetry.Logs.Query(new LogQuery());
        Assert.Equal("Batch size 1000", all[0].Message); // newest first
        var warning = all[1];
        Assert.Equal("payments", warning.Service);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(13, warning.SeverityNumber);
        Assert.Equal("Week 3 wrote 420 payments", warning.Message);
        Assert.Equal("DvdSim.payments", warning.Scope);
        Assert.Contains(new TelemetryAttribute("Week", "3"), warning.Attributes);
        Assert.Contains(new TelemetryAttribute("Rows", "420"), warning.Attributes);
        Assert.Equal(traceId, warning.TraceId);
        Assert.Equal(spanId, warning.SpanId);
        Assert.Equal(LogLevel.Debug, all[0].Level);
        Assert.Null(all[0].TraceId);

        Assert.Single(dashboard.Telemetry.Logs.Query(new LogQuery(MinLevel: LogLevel.Information)));
        Assert.Single(dashboard.Telemetry.Logs.Query(new LogQuery(Text: "wrote 420")));
        Assert.Single(dashboard.Telemetry.Logs.Query(new LogQuery(TraceId: traceId)));
        Assert.Empty(dashboard.Telemetry.Logs.Query(new LogQuery(Service: "inventory")));
    }

    [Fact]
    public async Task Metrics_from_the_exporter_become_series_and_rates()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        using var transactions = new ServiceTelemetry(dashboard.OtlpEndpoint, "transactions");
        var rentals = transactions.Meter.CreateCounter<long>("dvdsim.rentals", "{rental}", "Rentals written");
        var weekDuration = transactions.Meter.CreateHistogram<double>("dvdsim.week.duration", "ms");
        long workingSet = 50 * 1024 * 1024;
        transactions.Meter.CreateObservableGauge("dvdsim.test.memory", () => workingSet, "By");

        rentals.Add(400, new KeyValuePair<string, object?>("dvdsim.store", 1));
        rentals.Add(100, new KeyValuePair<string, object?>("dvdsim.store", 2));
        weekDuration.Record(10);
        weekDuration.Record(20);
        transactions.FlushMetrics();
        await Task.Delay(300);
        rentals.Add(600, new KeyValuePair<string, object?>("dvdsim.store", 1));
        weekDuration.Record(40);
        workingSet = 60 * 1024 * 1024;
        transactions.FlushMetrics();

        await Eventually.True(() => dashboard.Telemetry.Metrics.Series("transactions", "dvdsim.week.duration").Sum(s => s.Points.Count) == 2, "two exports");
        var rentalSeries = dashboard.Telemetry.Metrics.Series("transactions", "dvdsim.rentals");
        Assert.Equal(2, rentalSeries.Count); // one per store
        var store1 = Assert.Single(rentalSeries, s => s.Attributes.Contains(new TelemetryAttribute("dvdsim.store", "1")));
        Assert.Equal(MetricKind.Sum, store1.Instrument.Kind);
        Assert.True(store1.Instrument.IsMonotonic);
        Assert.True(store1.Instrument.IsCumulative);
        Assert.Equal("{rental}", store1.Instrument.Unit);
        Assert.Equal("Rentals written", store1.Instrument.Description);
        Assert.Equal([400.0, 1000.0], store1.Points.Select(p => p.Value));

        var histogram = Assert.Single(dashboard.Telemetry.Metrics.Series("transactions", "dvdsim.week.duration"));
        Assert.Equal(MetricKind.Histogram, histogram.Instrument.Kind);
        Assert.Equal([2UL, 3UL], histogram.Points.Select(p => p.Count));
        Assert.Equal([30.0, 70.0], histogram.Points.Select(p => p.Sum));
        Assert.Equal(10, histogram.Points[0].Min);
        Assert.Equal(40, histogram.Points[1].Max);
        Assert.NotEmpty(histogram.Points[0].ExplicitBounds!);
        Assert.Equal((ulong)2, histogram.Points[0].BucketCounts!.Aggregate(0UL, (a, b) => a + b));

        var timelines = MetricTimeline.Build(dashboard.Telemetry.Metrics.Series());
        var rentalRate = Assert.Single(timelines, t => t.Name == "dvdsim.rentals");
        Assert.Equal("rate", rentalRate.Shows);
        Assert.Equal("{rental}/s", rentalRate.DisplayUnit);
        Assert.Equal(1100, rentalRate.Total);
        // 600 rentals between two exports at least 300 ms apart.
        Assert.InRange(rentalRate.Latest!.Value, 1, 600 / 0.3);
        var meanDuration = Assert.Single(timelines, t => t.Name == "dvdsim.week.duration");
        Assert.Equal("mean", meanDuration.Shows);
        Assert.Equal(40, meanDuration.Latest); // only 40 was recorded in the second interval
        Assert.Equal(3, meanDuration.Total);
        var memory = Assert.Single(timelines, t => t.Name == "dvdsim.test.memory");
        Assert.Equal(60 * 1024 * 1024, memory.Latest);
    }

    [Fact]
    public async Task An_exporter_configured_only_by_the_OTEL_variables_reaches_the_receiver()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        // What the AppHost hands each service, read the way the SDK reads environment variables.
        var environment = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.OtlpEndpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "schema",
        }).Build();
        var sourceName = "DvdSim.Schema." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        using (var provider = Sdk.CreateTracerProviderBuilder()
                   .ConfigureServices(services => services.AddSingleton<IConfiguration>(environment))
                   .AddSource(sourceName)
                   .AddOtlpExporter()
                   .Build())
        {
            using (source.StartActivity("schema.create")) { }
            Assert.True(provider.ForceFlush(10_000));
        }

        await Eventually.True(() => dashboard.Telemetry.Traces.TraceCount == 1, "the trace");
        var span = Assert.Single(dashboard.Telemetry.Traces.Summaries(new TraceQuery()));
        Assert.Equal("schema", span.RootService);
        Assert.Equal("schema.create", span.RootName);
    }

    [Fact]
    public async Task Bad_requests_get_4xx_and_the_receiver_keeps_working()
    {
        await using var dashboard = await TestDashboard.StartAsync(TestDashboard.Options(maxOtlpRequestBytes: 4096));
        using var http = new HttpClient { BaseAddress = dashboard.OtlpEndpoint };

        // Malformed protobuf: a truncated varint length.
        var malformed = await Post(http, "v1/traces", [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var status = RpcStatus.Parser.ParseFrom(await malformed.Content.ReadAsByteArrayAsync());
        Assert.Equal(3, status.Code);
        Assert.Contains("not a valid OTLP protobuf", status.Message);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(http, "v1/logs", [0xFF, 0xFF, 0xFF])).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(http, "v1/metrics", [0x0A, 0x05, 0x01])).StatusCode);

        // Too big, with and without a Content-Length.
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await Post(http, "v1/traces", new byte[5000])).StatusCode);
        var chunked = new HttpRequestMessage(HttpMethod.Post, "v1/traces") { Content = new StreamContent(new UnknownLengthStream(new byte[9000])) };
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.SendAsync(chunked)).StatusCode);

        // Wrong content type or encoding.
        var json = new ByteArrayContent("{}"u8.ToArray());
        json.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await http.PostAsync("v1/traces", json)).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await http.PostAsync("v1/traces", new ByteArrayContent([]))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Post(http, "v1/traces", OneSpanRequest("ab").ToByteArray(), "br")).StatusCode);

        // Bad gzip, and a gzip bomb that only grows past the limit once decompressed.
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(http, "v1/traces", [1, 2, 3, 4, 5], "gzip")).StatusCode);
        var bomb = Gzip(new byte[100_000]);
        Assert.True(bomb.Length < 4096);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await Post(http, "v1/traces", bomb, "gzip")).StatusCode);

        Assert.Equal(0, dashboard.Telemetry.Traces.SpanCount);

        // Still working: gzip-encoded and plain requests are accepted.
        var gzipped = await Post(http, "v1/traces", Gzip(OneSpanRequest("aa").ToByteArray()), "gzip");
        Assert.Equal(HttpStatusCode.OK, gzipped.StatusCode);
        Assert.Equal("application/x-protobuf", gzipped.Content.Headers.ContentType?.MediaType);
        var response = ExportTraceServiceResponse.Parser.ParseFrom(await gzipped.Content.ReadAsByteArrayAsync());
        Assert.Null(response.PartialSuccess);
        Assert.Equal(HttpStatusCode.OK, (await Post(http, "v1/traces", OneSpanRequest("bb").ToByteArray())).StatusCode);
        Assert.Equal(2, dashboard.Telemetry.Traces.TraceCount);
        Assert.Equal("gzip span", Assert.Single(dashboard.Telemetry.Traces.Spans(new string('a', 32))!).Name);

        using var exporter = new ServiceTelemetry(dashboard.OtlpEndpoint, "inventory");
        using (exporter.ActivitySource.StartActivity("after the bad requests")) { }
        exporter.FlushTraces();
        await Eventually.True(() => dashboard.Telemetry.Traces.TraceCount == 3, "the exporter's trace");
    }

    [Fact]
    public async Task Spans_with_invalid_ids_are_reported_as_rejected()
    {
        await using var dashboard = await TestDashboard.StartAsync();
        using var http = new HttpClient { BaseAddress = dashboard.OtlpEndpoint };
        var request = OneSpanRequest("cc");
        request.ResourceSpans[0].ScopeSpans[0].Spans.Add(new Span { TraceId = ByteString.CopyFrom(new byte[5]), SpanId = ByteString.CopyFrom(new byte[8]), Name = "bad" });

        var answer = await Post(http, "v1/traces", request.ToByteArray());

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var response = ExportTraceServiceResponse.Parser.ParseFrom(await answer.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, response.PartialSuccess.RejectedSpans);
        Assert.Equal(1, dashboard.Telemetry.Traces.SpanCount);
    }

    [Fact]
    public async Task Limits_evict_the_oldest_traces_logs_and_points()
    {
        var limits = new TelemetryLimits { MaxTraceCount = 3, MaxLogCount = 4, MaxMetricsCount = 5 };
        await using var dashboard = await TestDashboard.StartAsync(TestDashboard.Options(limits));
        using var service = new ServiceTelemetry(dashboard.OtlpEndpoint, "coordinator");

        var traceIds = new List<string>();
        for (var week = 1; week <= 5; week++)
        {
            using (var activity = service.ActivitySource.StartActivity($"week {week}")!)
            {
                traceIds.Add(activity.TraceId.ToHexString());
            }
            service.FlushTraces(); // one request per trace, so arrival order is week order
        }
        var counter = service.Meter.CreateCounter<long>("dvdsim.rentals");
        for (var export = 1; export <= 7; export++)
        {
            counter.Add(10);
            service.FlushMetrics();
        }
        for (var i = 1; i <= 6; i++) service.Logger.LogInformation("log {Number}", i);
        service.FlushLogsAndStopLogging();

        await Eventually.True(() => dashboard.Telemetry.Traces.Spans(traceIds[^1]) is not null, "the last trace");
        Assert.Equal(3, dashboard.Telemetry.Traces.TraceCount);
        Assert.Equal(traceIds[2..], dashboard.Telemetry.Traces.Summaries(new TraceQuery()).Select(t => t.TraceId).Reverse());
        Assert.Null(dashboard.Telemetry.Traces.Spans(traceIds[0]));

        await Eventually.True(() => dashboard.Telemetry.Logs.Query(new LogQuery()).FirstOrDefault()?.Message == "log 6", "the last log");
        Assert.Equal(["log 6", "log 5", "log 4", "log 3"], dashboard.Telemetry.Logs.Query(new LogQuery()).Select(l => l.Message));

        var points = Assert.Single(dashboard.Telemetry.Metrics.Series(name: "dvdsim.rentals")).Points;
        Assert.Equal([30.0, 40.0, 50.0, 60.0, 70.0], points.Select(p => p.Value));
    }

    [Fact]
    public async Task An_api_key_when_configured_is_required()
    {
        await using var dashboard = await TestDashboard.StartAsync(TestDashboard.Options(otlpApiKey: "otlp-secret"));
        using var http = new HttpClient { BaseAddress = dashboard.OtlpEndpoint };
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post(http, "v1/traces", OneSpanRequest("dd").ToByteArray())).StatusCode);

        using var service = new ServiceTelemetry(dashboard.OtlpEndpoint, "inventory", apiKey: "otlp-secret");
        using (service.ActivitySource.StartActivity("keyed")) { }
        service.FlushTraces();
        await Eventually.True(() => dashboard.Telemetry.Traces.TraceCount == 1, "the keyed trace");
    }

    [Fact]
    public async Task A_taken_port_falls_back_to_a_free_one()
    {
        using var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var takenPort = ((IPEndPoint)squatter.LocalEndpoint).Port;

        await using var fallback = await DashboardServer.StartAsync(
            new DashboardOptions { FrontendPort = takenPort, OtlpPort = takenPort, BrowserToken = TestDashboard.Token }, new FakeResourceMonitor(), () => null);

        Assert.NotEqual(takenPort, fallback.OtlpEndpoint.Port);
        Assert.NotEqual(takenPort, fallback.FrontendUrl.Port);
        Assert.Equal("127.0.0.1", fallback.OtlpEndpoint.Host);
        Assert.Equal($"http://127.0.0.1:{fallback.FrontendUrl.Port}/login?t={TestDashboard.Token}", fallback.LoginUrl.ToString());
        using var http = new HttpClient { BaseAddress = fallback.OtlpEndpoint };
        Assert.Equal(HttpStatusCode.OK, (await Post(http, "v1/traces", OneSpanRequest("ee").ToByteArray())).StatusCode);
    }

    private static async Task<HttpResponseMessage> Post(HttpClient http, string path, byte[] body, string? contentEncoding = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        if (contentEncoding is not null) content.Headers.ContentEncoding.Add(contentEncoding);
        return await http.PostAsync(path, content);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal)) gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>A request with one span whose trace id is the given hex byte repeated.</summary>
    private static ExportTraceServiceRequest OneSpanRequest(string idByte)
    {
        var now = (ulong)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000);
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(Convert.FromHexString(string.Concat(Enumerable.Repeat(idByte, 16)))),
            SpanId = ByteString.CopyFrom(Convert.FromHexString("0102030405060708")),
            Name = idByte == "aa" ? "gzip span" : "plain span",
            StartTimeUnixNano = now,
            EndTimeUnixNano = now + 1_000_000,
        };
        var resource = new Resource();
        resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "handmade" } });
        var scopeSpans = new ScopeSpans { Scope = new InstrumentationScope { Name = "test" } };
        scopeSpans.Spans.Add(span);
        var resourceSpans = new ResourceSpans { Resource = resource };
        resourceSpans.ScopeSpans.Add(scopeSpans);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resourceSpans);
        return request;
    }

    /// <summary>A body sent chunked: HttpClient cannot know its length.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
