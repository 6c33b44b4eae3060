using System.Net;
using System.Net.Sockets;

namespace DvdSim.Testing;

/// <summary>
/// A broker address that answers only from <see cref="OpenAsync"/> on: a TCP relay on a port of its
/// own to the test servers' RabbitMQ, for services started before their broker is up. Until it is
/// opened, connections to <see cref="Uri"/> are refused, as they are while RabbitMQ boots.
/// </summary>
public sealed class LateBroker : IAsyncDisposable
{
    private readonly Uri _target;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Task _relaying = Task.CompletedTask;

    public LateBroker(string rabbitMqUri)
    {
        _target = new Uri(rabbitMqUri);
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Uri = new UriBuilder(_target) { Port = _port }.Uri.ToString().TrimEnd('/');
    }

    /// <summary>The test broker's URI with this relay's port.</summary>
    public string Uri { get; }

    public Task OpenAsync()
    {
        _listener = new TcpListener(IPAddress.Loopback, _port);
        _listener.Start();
        _relaying = RelayAsync(_listener, _stop.Token);
        return Task.CompletedTask;
    }

    private async Task RelayAsync(TcpListener listener, CancellationToken ct)
    {
        var connections = new List<Task>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(ct);
                connections.Add(PipeAsync(client, ct));
            }
        }
        catch (OperationCanceledException) { }
        await Task.WhenAll(connections);
    }

    private async Task PipeAsync(TcpClient client, CancellationToken ct)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_target.Host, _target.Port, ct);
                using var either = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var up = client.GetStream().CopyToAsync(server.GetStream(), either.Token);
                var down = server.GetStream().CopyToAsync(client.GetStream(), either.Token);
                await Task.WhenAny(up, down);
                await either.CancelAsync();
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        try { await _relaying; }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        _stop.Dispose();
    }
}
