using System.Net;

namespace DvdSim.Coordinator.Runs;

/// <summary>
/// The stage services the coordinator was given (Aspire's <c>services__&lt;name&gt;__http__0</c>).
/// A run resumed at start-up publishes its weeks at once; on a broker that has just been created,
/// a message published before the stage's queue is bound is lost. So the AppHost starts the
/// coordinator together with the stages, and runs are resumed only once every referenced stage
/// answers GET /health (its bus is then started and its queue bound).
/// </summary>
public sealed class StageServices(IConfiguration configuration, ILogger<StageServices> logger)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>Name and URL of every referenced service, in configuration order.</summary>
    public IReadOnlyList<(string Name, Uri Url)> Referenced { get; } = configuration.GetSection("services").GetChildren()
        .Select(s => (s.Key, Url: Uri.TryCreate(s["http:0"], UriKind.Absolute, out var url) ? url : null))
        .Where(s => s.Url is not null)
        .Select(s => (s.Key, s.Url!))
        .ToList();

    /// <summary>Waits until every referenced stage is healthy; false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var waiting = Referenced.ToList();
        try
        {
            while (true)
            {
                var answers = await Task.WhenAll(waiting.Select(s => IsHealthyAsync(s.Url, deadline.Token)));
                waiting = waiting.Where((_, i) => !answers[i]).ToList();
                if (waiting.Count == 0) return true;
                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Stage services not healthy after {Seconds:0} s: {Services}", timeout.TotalSeconds,
                string.Join(", ", waiting.Select(s => s.Name)));
            return false;
        }
    }

    private static async Task<bool> IsHealthyAsync(Uri service, CancellationToken ct)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(service, "/health"), ct);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return false; // this request timed out
        }
    }
}
