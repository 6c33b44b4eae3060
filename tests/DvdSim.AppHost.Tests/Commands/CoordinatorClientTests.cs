using System.Net;
using System.Net.Sockets;
using DvdSim.AppHost.Commands;

namespace DvdSim.AppHost.Tests.Commands;

public sealed class CoordinatorClientTests : IDisposable
{
    // Accepts connections and never answers, as a coordinator stuck in a long query would.
    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);
    private readonly Task<TcpClient> _accepted; // held until the end: a collected client closes the connection

    public CoordinatorClientTests()
    {
        _silent.Start();
        _accepted = _silent.AcceptTcpClientAsync();
    }

    private CoordinatorClient ClientWithTimeout(TimeSpan timeout) =>
        new(new Uri($"http://127.0.0.1:{((IPEndPoint)_silent.LocalEndpoint).Port}"), timeout);

    [Fact]
    public async Task A_coordinator_that_does_not_answer_in_time_is_a_timeout_naming_the_request_not_a_cancellation()
    {
        using var client = ClientWithTimeout(TimeSpan.FromMilliseconds(300));

        var e = await Assert.ThrowsAsync<TimeoutException>(() => client.StatisticsAsync("bench_scale", CancellationToken.None));
        Assert.Equal("the coordinator did not answer GET /runs/bench_scale/stats within 0.3 s", e.Message);
    }

    [Fact]
    public async Task The_callers_own_cancellation_stays_a_cancellation()
    {
        using var client = ClientWithTimeout(TimeSpan.FromSeconds(30));
        using var ctrlC = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.StatisticsAsync("bench_scale", ctrlC.Token));
        Assert.IsNotType<TimeoutException>(e.InnerException);
    }

    public void Dispose()
    {
        if (_accepted.IsCompletedSuccessfully) _accepted.Result.Dispose();
        _silent.Stop();
    }
}
