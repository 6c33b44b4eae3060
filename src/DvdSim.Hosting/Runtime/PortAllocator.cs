using System.Net;
using System.Net.Sockets;

namespace DvdSim.Hosting.Runtime;

/// <summary>Chooses free TCP ports on 127.0.0.1, never the same one twice in a cluster.</summary>
internal sealed class PortAllocator
{
    // rabbitmqctl and friends use 35672–35682 for their own distribution connections.
    private const int CliRangeStart = 35672, CliRangeEnd = 35682;
    private readonly HashSet<int> _taken = [];
    private readonly Lock _lock = new();

    /// <summary>A free port: <paramref name="preferred"/> (e.g. the one used last run) when it is still free, else any.</summary>
    public int Allocate(int? preferred = null)
    {
        lock (_lock)
        {
            if (preferred is { } wanted && IsUsable(wanted) && IsFree(wanted))
            {
                _taken.Add(wanted);
                return wanted;
            }
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var port = BindAnyPort();
                if (!IsUsable(port)) continue;
                _taken.Add(port);
                return port;
            }
            throw new HostingException("No free TCP port found on 127.0.0.1.");
        }
    }

    private bool IsUsable(int port) => port is > 1024 and <= 65535 and not (>= CliRangeStart and <= CliRangeEnd) && !_taken.Contains(port);

    public static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            socket.Listen(1);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int BindAnyPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
