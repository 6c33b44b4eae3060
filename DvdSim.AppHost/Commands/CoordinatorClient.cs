using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DvdSim.Contracts;

namespace DvdSim.AppHost.Commands;

/// <summary>The coordinator's HTTP API as the CLI uses it.</summary>
internal sealed class CoordinatorClient(Uri baseUrl, TimeSpan? timeout = null) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = timeout ?? TimeSpan.FromSeconds(60) };

    public async Task<(HttpStatusCode Status, string? Problem)> CreateAsync(CreateRunRequest request, CancellationToken ct)
    {
        using var response = await TimedAsync(HttpMethod.Post, "/runs", () => _http.PostAsJsonAsync("/runs", request, Json, ct));
        return (response.StatusCode, response.IsSuccessStatusCode ? null : await ProblemAsync(response, ct));
    }

    public Task<RunView> ResumeAsync(string database, CancellationToken ct) => SendAsync<RunView>(HttpMethod.Post, $"/runs/{database}/resume", null, ct);

    public Task<RunView> ExtendAsync(string database, int weeks, CancellationToken ct) =>
        SendAsync<RunView>(HttpMethod.Post, $"/runs/{database}/extend", new ExtendRunRequest(weeks), ct);

    public Task<RunView> RunAsync(string database, CancellationToken ct) => SendAsync<RunView>(HttpMethod.Get, $"/runs/{database}", null, ct);

    public Task<RunStatistics> StatisticsAsync(string database, CancellationToken ct) =>
        SendAsync<RunStatistics>(HttpMethod.Get, $"/runs/{database}/stats", null, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        using var response = await TimedAsync(method, path, () => _http.SendAsync(request, ct));
        if (!response.IsSuccessStatusCode)
            throw new CoordinatorException(response.StatusCode, await ProblemAsync(response, ct));
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }

    /// <summary>
    /// HttpClient reports its timeout as a cancellation: turned into a TimeoutException that names the
    /// request, so that callers do not take a slow coordinator for the user's Ctrl+C.
    /// </summary>
    private async Task<HttpResponseMessage> TimedAsync(HttpMethod method, string path, Func<Task<HttpResponseMessage>> send)
    {
        try { return await send(); }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            throw new TimeoutException($"the coordinator did not answer {method} {path} within {_http.Timeout.TotalSeconds:0.#} s", e);
        }
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("detail", out var detail)) return detail.GetString() ?? text;
        }
        catch (JsonException) { }
        return string.IsNullOrWhiteSpace(text) ? response.StatusCode.ToString() : text;
    }

    public void Dispose() => _http.Dispose();
}

internal sealed class CoordinatorException(HttpStatusCode status, string problem) : Exception(problem)
{
    public HttpStatusCode Status { get; } = status;
}
