using System.Buffers;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using DvdSim.Dashboard.Otlp.Proto.Collector.Logs;
using DvdSim.Dashboard.Otlp.Proto.Collector.Metrics;
using DvdSim.Dashboard.Otlp.Proto.Collector.Trace;
using DvdSim.Dashboard.Telemetry;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RpcStatus = DvdSim.Dashboard.Otlp.Proto.Rpc.Status;

namespace DvdSim.Dashboard.Otlp;

/// <summary>
/// OTLP/HTTP with binary protobuf bodies (what OpenTelemetry .NET sends with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf):
/// POST /v1/traces, /v1/logs and /v1/metrics. Bad requests get a 4xx with a protobuf google.rpc.Status, as the spec asks.
/// </summary>
internal sealed class OtlpReceiver(TelemetryStore store, DashboardOptions options, ILogger logger)
{
    public const string ApiKeyHeader = "x-otlp-api-key";
    private static readonly string[] ProtobufMediaTypes = ["application/x-protobuf", "application/protobuf"];

    private readonly OtlpConversion _conversion = new(store.Limits);
    private readonly byte[]? _apiKey = string.IsNullOrEmpty(options.OtlpApiKey) ? null : Encoding.UTF8.GetBytes(options.OtlpApiKey);

    public void Map(WebApplication app)
    {
        app.MapPost("/v1/traces", context => Receive(context, ExportTraceServiceRequest.Parser, request =>
        {
            var rejected = _conversion.StoreTraces(request, store);
            return new ExportTraceServiceResponse
            {
                PartialSuccess = rejected == 0 ? null : new ExportTracePartialSuccess
                {
                    RejectedSpans = rejected,
                    ErrorMessage = "spans with invalid ids, or over the per-trace span limit, were dropped",
                },
            };
        }));
        app.MapPost("/v1/logs", context => Receive(context, ExportLogsServiceRequest.Parser, request =>
        {
            _conversion.StoreLogs(request, store);
            return new ExportLogsServiceResponse();
        }));
        app.MapPost("/v1/metrics", context => Receive(context, ExportMetricsServiceRequest.Parser, request =>
        {
            var rejected = _conversion.StoreMetrics(request, store);
            return new ExportMetricsServiceResponse
            {
                PartialSuccess = rejected == 0 ? null : new ExportMetricsPartialSuccess
                {
                    RejectedDataPoints = rejected,
                    ErrorMessage = "data points without a timestamp were dropped",
                },
            };
        }));
    }

    private async Task Receive<TRequest>(HttpContext context, MessageParser<TRequest> parser, Func<TRequest, IMessage> store)
        where TRequest : IMessage<TRequest>
    {
        var request = context.Request;
        if (_apiKey is not null && !HasApiKey(request))
        {
            await Reject(context, StatusCodes.Status401Unauthorized, $"missing or wrong {ApiKeyHeader} header");
            return;
        }
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !ProtobufMediaTypes.Contains(contentType.MediaType, StringComparer.OrdinalIgnoreCase))
        {
            await Reject(context, StatusCodes.Status415UnsupportedMediaType,
                $"content type '{request.ContentType}' is not supported: send application/x-protobuf (OTLP http/protobuf)");
            return;
        }
        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            await Reject(context, StatusCodes.Status415UnsupportedMediaType, $"content encoding '{encoding}' is not supported: use gzip or none");
            return;
        }

        var limit = options.MaxOtlpRequestBytes;
        if (request.ContentLength > limit)
        {
            await Reject(context, StatusCodes.Status413PayloadTooLarge, $"request body is over the {limit} byte limit");
            return;
        }

        byte[]? body;
        try
        {
            body = await ReadAtMost(request.Body, limit, context.RequestAborted);
            if (body is not null && gzip)
            {
                using var unzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
                body = await ReadAtMost(unzip, limit, context.RequestAborted);
            }
        }
        catch (InvalidDataException)
        {
            await Reject(context, StatusCodes.Status400BadRequest, "body is not valid gzip");
            return;
        }
        catch (BadHttpRequestException exception)
        {
            await Reject(context, exception.StatusCode, exception.Message);
            return;
        }
        if (body is null)
        {
            await Reject(context, StatusCodes.Status413PayloadTooLarge, $"request body is over the {limit} byte limit");
            return;
        }

        TRequest message;
        try
        {
            message = parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException exception)
        {
            await Reject(context, StatusCodes.Status400BadRequest, "body is not a valid OTLP protobuf message: " + exception.Message);
            return;
        }

        IMessage response;
        try
        {
            response = store(message);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Could not store an OTLP request to {Path}", request.Path);
            await Reject(context, StatusCodes.Status500InternalServerError, "the dashboard could not store this request");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
        await context.Response.Body.WriteAsync(response.ToByteArray(), context.RequestAborted);
    }

    private bool HasApiKey(HttpRequest request)
    {
        var given = Encoding.UTF8.GetBytes(request.Headers[ApiKeyHeader].ToString());
        return CryptographicOperations.FixedTimeEquals(given, _apiKey);
    }

    /// <summary>The whole stream, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadAtMost(Stream stream, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }

    private static async Task Reject(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/x-protobuf";
        var status = new RpcStatus { Code = GrpcCodeFor(statusCode), Message = message };
        await context.Response.Body.WriteAsync(status.ToByteArray(), context.RequestAborted);
    }

    // google.rpc.Code values, as the OTLP spec maps HTTP statuses.
    private static int GrpcCodeFor(int statusCode) => statusCode switch
    {
        400 => 3,  // INVALID_ARGUMENT
        401 => 16, // UNAUTHENTICATED
        413 => 8,  // RESOURCE_EXHAUSTED
        415 => 3,
        _ => 13,   // INTERNAL
    };
}
