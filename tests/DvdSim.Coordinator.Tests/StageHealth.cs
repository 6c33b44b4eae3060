using System.Net;
using System.Net.Sockets;

namespace DvdSim.Coordinator.Tests;

/// <summary>
/// A stage service's GET /health, switchable: the coordinator is given its URL as a referenced
/// service (services__stage__http__0) and resumes runs at start-up only while it answers 200.
/// </summary>
public sealed class StageHealth : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public StageHealth()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public string Url { get; }
    public bool Healthy { get; set; } = true;
    /// <summary>How many health checks were answered (any status).</summary>
    public int Checks => Volatile.Read(ref _checks);
    private int _checks;

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            Interlocked.Increment(ref _checks);
            context.Response.StatusCode = context.Request.Url?.AbsolutePath == "/health" && Healthy ? 200 : 503;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
