using System.Text;

namespace DvdSim.Hosting.Processes;

/// <summary>
/// Copies lines appended to a server's own log file (MariaDB's error.log, RabbitMQ's node log)
/// into the resource's console log, like <c>tail -f</c>.
/// </summary>
internal sealed class LogFileFollower : IAsyncDisposable
{
    private readonly string _path;
    private readonly ResourceLog _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _offset;
    private readonly StringBuilder _partial = new();
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder(); // keeps a multi-byte character split across reads

    /// <summary>Follows <paramref name="path"/> from its current end (older runs' lines are not repeated).</summary>
    public LogFileFollower(string path, ResourceLog log)
    {
        _path = path;
        _log = log;
        _offset = File.Exists(path) ? new FileInfo(path).Length : 0;
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            ReadNew();
            try { await Task.Delay(200, _stop.Token); }
            catch (OperationCanceledException) { break; }
        }
        ReadNew();
        if (_partial.Length > 0) _log.Write(_partial.ToString());
    }

    private void ReadNew()
    {
        try
        {
            if (!File.Exists(_path)) return;
            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < _offset) _offset = 0; // truncated or replaced
            if (stream.Length == _offset) return;
            stream.Seek(_offset, SeekOrigin.Begin);
            var buffer = new byte[stream.Length - _offset];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            _offset += read;
            var chars = new char[_decoder.GetCharCount(buffer, 0, read)];
            _decoder.GetChars(buffer, 0, read, chars, 0);
            foreach (var ch in chars)
            {
                if (ch == '\n')
                {
                    _log.Write(_partial.ToString().TrimEnd('\r'));
                    _partial.Clear();
                }
                else _partial.Append(ch);
            }
        }
        catch (IOException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
