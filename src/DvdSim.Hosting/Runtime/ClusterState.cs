using System.Security.Cryptography;
using System.Text.Json;

namespace DvdSim.Hosting.Runtime;

/// <summary>
/// Generated secrets and chosen ports, per resource, kept in &lt;data&gt;/cluster.json (mode 0600)
/// so that a kept data directory starts again with the same passwords (RabbitMQ applies its
/// default user only on the first boot) and, when still free, the same ports.
/// </summary>
internal sealed class ClusterState
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _path;
    private readonly Dictionary<string, Dictionary<string, string>> _values;
    private readonly Lock _lock = new();

    private ClusterState(string path, Dictionary<string, Dictionary<string, string>> values)
    {
        _path = path;
        _values = values;
    }

    public static ClusterState Load(string directory)
    {
        var path = Path.Combine(directory, "cluster.json");
        var values = new Dictionary<string, Dictionary<string, string>>();
        if (File.Exists(path))
        {
            try { values = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(File.ReadAllText(path)) ?? values; }
            catch (JsonException e) { throw new HostingException($"{path} is not valid JSON ({e.Message}); fix it or start with --fresh."); }
        }
        return new ClusterState(path, values);
    }

    public string GetOrAdd(string resource, string key, Func<string> create)
    {
        lock (_lock)
        {
            if (!_values.TryGetValue(resource, out var entries)) _values[resource] = entries = [];
            if (entries.TryGetValue(key, out var value)) return value;
            entries[key] = value = create();
            Save();
            return value;
        }
    }

    public string? Get(string resource, string key)
    {
        lock (_lock) return _values.TryGetValue(resource, out var e) && e.TryGetValue(key, out var v) ? v : null;
    }

    public void Set(string resource, string key, string value)
    {
        lock (_lock)
        {
            if (!_values.TryGetValue(resource, out var entries)) _values[resource] = entries = [];
            if (entries.TryGetValue(key, out var old) && old == value) return;
            entries[key] = value;
            Save();
        }
    }

    private void Save()
    {
        var temporary = _path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
        using (var stream = new FileStream(temporary, options))
            JsonSerializer.Serialize(stream, _values, new JsonSerializerOptions { WriteIndented = true });
        File.SetUnixFileMode(temporary, OwnerOnly); // a leftover temporary file would keep its old mode
        File.Move(temporary, _path, overwrite: true);
    }

    /// <summary>Letters and digits only: safe unquoted in SQL, connection strings and URIs.</summary>
    public static string NewSecret(int length = 24)
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        return RandomNumberGenerator.GetString(alphabet, length);
    }
}
