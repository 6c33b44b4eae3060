using System.Net;
using System.Net.Sockets;
using DvdSim.AppHost.Commands;

namespace DvdSim.AppHost.Tests.Commands;

public class CoordinatorClientTests
{
    [Fact]
    public async Task A_coordinator_that_does_not_answer_in_time_is_a_timeout_naming_the_request_not_a_cancellation()
    {
        // Accepts the connection and never answers, as a coordinator stuck in a long query would.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepting = silent.AcceptTcpClientAsync();
        using var client = new CoordinatorClient(new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}"),
            TimeSpan.FromMilliseconds(300));

        var e = await Assert.ThrowsAsync<TimeoutException>(() => client.StatisticsAsync("bench_scale", CancellationToken.None));
        Assert.Equal("the coordinator did not answer GET /runs/bench_scale/stats within 0.3 s", e.Message);
        using var _ = await accepting;
    }

    [Fact]
    public async Task The_callers_own_cancellation_stays_a_cancellation()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepting = silent.AcceptTcpClientAsync();
        using var client = new CoordinatorClient(new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}"),
            TimeSpan.FromSeconds(30));
        using var ctrlC = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.StatisticsAsync("bench_scale", ctrlC.Token));
        using var _ = await accepting;
    }
}
