using System.Text;

namespace DvdSim.Hosting.Processes;

/// <summary>
/// The console output of one resource: appended to its log file and kept in a bounded ring
/// buffer for the monitor. Written from several reader threads at once.
/// </summary>
internal sealed class ResourceLog : IDisposable
{
    private readonly string _resource;
    private readonly ConsoleLine[] _ring;
    private readonly Action<ConsoleLine> _written;
    private readonly Lock _lock = new();
    private StreamWriter? _file;
    private int _next;
    private int _count;

    public ResourceLog(string resource, string? filePath, int capacity, Action<ConsoleLine> written)
    {
        _resource = resource;
        _ring = new ConsoleLine[Math.Max(1, capacity)];
        _written = written;
        FilePath = filePath;
        if (filePath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(filePath)!);
            _file = new StreamWriter(new FileStream(filePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false))
            {
                AutoFlush = true,
            };
        }
    }

    public string? FilePath { get; }

    public void Write(string text, bool isError = false)
    {
        var line = new ConsoleLine(_resource, DateTimeOffset.UtcNow, isError, text);
        lock (_lock)
        {
            _ring[_next] = line;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
            try { _file?.WriteLine($"{line.At:yyyy-MM-ddTHH:mm:ss.fffZ} {(isError ? "err" : "out")} {text}"); }
            catch (ObjectDisposedException) { }
        }
        _written(line);
    }

    public IReadOnlyList<ConsoleLine> Lines(int max)
    {
        lock (_lock)
        {
            var take = Math.Clamp(max, 0, _count);
            var result = new ConsoleLine[take];
            var start = (_next - take + _ring.Length) % _ring.Length;
            for (var i = 0; i < take; i++) result[i] = _ring[(start + i) % _ring.Length];
            return result;
        }
    }

    /// <summary>The last lines as one indented block, for error messages.</summary>
    public string Tail(int lines = 20) =>
        string.Join(Environment.NewLine, Lines(lines).Select(l => "    " + l.Text));

    public void Dispose()
    {
        lock (_lock)
        {
            _file?.Dispose();
            _file = null;
        }
    }
}
