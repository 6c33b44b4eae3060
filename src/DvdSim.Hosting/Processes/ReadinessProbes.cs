using System.Net.Sockets;
using MySqlConnector;

namespace DvdSim.Hosting.Processes;

/// <summary>Single readiness checks; each returns false (never throws) while the server is not there yet.</summary>
internal static class ReadinessProbes
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public static async Task<bool> PortOpenAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await client.ConnectAsync(host, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>
    /// Sends the AMQP 0-9-1 protocol header; a broker answers with a method frame (type 1,
    /// Connection.Start). An open port alone is not enough: the listener opens before the broker boots.
    /// </summary>
    public static async Task<bool> AmqpHandshakeAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await client.ConnectAsync(host, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("AMQP\0\0\x09\x01"u8.ToArray(), timeout.Token);
            var first = new byte[1];
            var read = await stream.ReadAsync(first, timeout.Token);
            return read == 1 && first[0] == 1;
        }
        catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>A real login: MariaDB opens its port only after init.sql ran, but a port can belong to someone else.</summary>
    public static async Task<bool> MySqlLoginAsync(string connectionString, Action<string>? failed, CancellationToken cancellationToken)
    {
        var builder = new MySqlConnectionStringBuilder(connectionString) { Pooling = false, ConnectionTimeout = 2 };
        try
        {
            await using var connection = new MySqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is MySqlException or SocketException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            failed?.Invoke(e.Message);
            return false;
        }
    }
}
