using System.Collections.Concurrent;

namespace DvdSim.Dashboard.Web;

/// <summary>The HTML templates, scripts and styles compiled into this assembly (no front-end build, no wwwroot).</summary>
internal static class EmbeddedFiles
{
    private static readonly ConcurrentDictionary<string, byte[]> Cache = new(StringComparer.Ordinal);

    public static string Page(string name) =>
        System.Text.Encoding.UTF8.GetString(Read("DvdSim.Dashboard.Pages." + name)
            ?? throw new InvalidOperationException($"The page template {name} is not embedded."));

    /// <summary>An asset's bytes, or null when there is no such asset.</summary>
    public static byte[]? Asset(string fileName) => Read("DvdSim.Dashboard.Assets." + fileName);

    public static string ContentTypeOf(string fileName) => Path.GetExtension(fileName) switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private static byte[]? Read(string resourceName)
    {
        if (Cache.TryGetValue(resourceName, out var cached)) return cached;
        using var stream = typeof(EmbeddedFiles).Assembly.GetManifestResourceStream(resourceName);
        if (stream is null) return null; // misses are not cached: names come from requests
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Cache[resourceName] = copy.ToArray();
    }
}
