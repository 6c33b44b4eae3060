using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Holds the bus back until the broker's port accepts connections, so that a service can be
/// started together with its broker instead of after it. MassTransit would connect by itself,
/// but after a refused first attempt it retries only every few seconds: a service started with a
/// booting RabbitMQ came up 5–10 s after the broker did. Polled every 100 ms, the bus starts as
/// soon as the port opens; registered before MassTransit's hosted service, which starts after it.
/// </summary>
public sealed class BrokerWait(string host, int port, TimeSpan timeout, ILogger<BrokerWait> logger) : IHostedService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var logged = false;
        while (!await AcceptsAsync(cancellationToken))
        {
            if (waited.Elapsed >= timeout)
            {
                // MassTransit makes the attempt that fails with the broker's own error.
                logger.LogWarning("The broker at {Host}:{Port} did not open its port within {Seconds:0} s", host, port, timeout.TotalSeconds);
                return;
            }
            if (!logged)
            {
                logger.LogInformation("Waiting for the broker at {Host}:{Port} before starting the bus", host, port);
                logged = true;
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
        if (logged)
            logger.LogInformation("The broker at {Host}:{Port} accepts connections after {Seconds:0.0} s", host, port, waited.Elapsed.TotalSeconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<bool> AcceptsAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(host, port, attempt.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
