using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DvdSim.Dashboard.Web;

/// <summary>A run as the coordinator's GET /runs describes it.</summary>
internal sealed record RunInfo(
    string Database,
    string? Scenario,
    string? State,
    int WeeksDone,
    int WeeksTarget,
    long Rentals,
    DateTimeOffset? StartedAt,
    double? EtaSeconds);

/// <summary>One simulated week as the coordinator's GET /runs/{database}/weeks describes it.</summary>
internal sealed record WeekTiming(
    int Week,
    string? WeekStart,
    long Rentals,
    long Payments,
    double WallMs,
    double InventoryMs,
    double TransactionsMs,
    double PaymentsMs,
    double WaitMs,
    string? TraceId);

internal enum CoordinatorOutcome { Ok, NotStarted, NotFound, Unreachable }

internal sealed record CoordinatorAnswer<T>(CoordinatorOutcome Outcome, T? Value, string? Error);

/// <summary>
/// Reads the coordinator's HTTP API for the Weeks page. The coordinator may start after the dashboard,
/// so its base address is asked for on every call.
/// </summary>
internal sealed class CoordinatorClient(Func<Uri?> coordinatorUrl, HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<CoordinatorAnswer<IReadOnlyList<RunInfo>>> Runs(CancellationToken cancellationToken) =>
        Get<IReadOnlyList<RunInfo>>("runs", cancellationToken);

    public Task<CoordinatorAnswer<IReadOnlyList<WeekTiming>>> Weeks(string database, CancellationToken cancellationToken) =>
        Get<IReadOnlyList<WeekTiming>>($"runs/{Uri.EscapeDataString(database)}/weeks", cancellationToken);

    private async Task<CoordinatorAnswer<T>> Get<T>(string relative, CancellationToken cancellationToken)
    {
        Uri? baseUrl;
        try
        {
            baseUrl = coordinatorUrl();
        }
        catch (Exception exception)
        {
            return new(CoordinatorOutcome.NotStarted, default, "the coordinator's address is not known: " + exception.Message);
        }
        if (baseUrl is null) return new(CoordinatorOutcome.NotStarted, default, "the coordinator has not started yet");

        var url = new Uri(baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/"), relative);
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound) return new(CoordinatorOutcome.NotFound, default, $"the coordinator has no {relative}");
            if (!response.IsSuccessStatusCode)
            {
                return new(CoordinatorOutcome.Unreachable, default, $"the coordinator answered {(int)response.StatusCode} to GET {relative}");
            }
            var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
            return value is null
                ? new(CoordinatorOutcome.Unreachable, default, $"the coordinator answered null to GET {relative}")
                : new(CoordinatorOutcome.Ok, value, null);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or NotSupportedException
                                          || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new(CoordinatorOutcome.Unreachable, default, $"GET {relative} from the coordinator failed: {exception.Message}");
        }
    }
}
