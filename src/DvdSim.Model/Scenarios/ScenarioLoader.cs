using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using DvdSim.Contracts;
using YamlDotNet.RepresentationModel;

namespace DvdSim.Model.Scenarios;

/// <summary>
/// Resolves a scenario: the defaults, then a preset or a JSON/YAML file (only the keys that
/// differ), then command-line overrides (<c>key.path=value</c>), then validation. Any key that
/// is not a scenario key is an error naming it — nothing is silently ignored.
/// </summary>
public static class ScenarioLoader
{
    public const string DefaultPreset = "standard-3y";

    public static IReadOnlyList<string> Presets { get; } = typeof(ScenarioLoader).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("preset:", StringComparison.Ordinal)).Select(n => n["preset:".Length..]).Order().ToArray();

    /// <summary>The text of a preset (YAML), or null when there is none by that name.</summary>
    public static string? PresetText(string name)
    {
        using var stream = typeof(ScenarioLoader).Assembly.GetManifestResourceStream("preset:" + name);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Resolves <paramref name="nameOrText"/> (a preset name, or already-read file text with its
    /// extension given in <paramref name="format"/>: "json" or "yaml") plus overrides.
    /// </summary>
    public static Scenario Resolve(string? presetName, string? fileText = null, string format = "yaml",
        IEnumerable<string>? overrides = null)
    {
        var tree = (JsonObject)JsonNode.Parse(ScenarioJson.Write(new Scenario()))!;
        if (fileText is null)
        {
            var name = presetName ?? DefaultPreset;
            var text = PresetText(name) ?? throw new ScenarioException("scenario",
                $"no preset named '{name}' (presets: {string.Join(", ", Presets)})");
            Merge(tree, ParseText(text, "yaml"), "");
        }
        else
        {
            Merge(tree, ParseText(fileText, format), "");
        }
        foreach (var assignment in overrides ?? []) ApplyOverride(tree, assignment);

        Scenario scenario;
        try
        {
            scenario = JsonSerializer.Deserialize<Scenario>(tree.ToJsonString(), ScenarioJson.Options)
                       ?? throw new ScenarioException("scenario", "empty");
        }
        catch (JsonException e)
        {
            var key = (e.Path ?? "$").TrimStart('$', '.');
            throw new ScenarioException(key.Length == 0 ? "scenario" : key, "wrong type of value (" + FirstLine(e.Message) + ")");
        }
        ScenarioValidator.Validate(scenario);
        return scenario;
    }

    /// <summary>Reads a scenario file (.json, .yaml or .yml).</summary>
    public static Scenario FromFile(string path, IEnumerable<string>? overrides = null)
    {
        if (!File.Exists(path)) throw new ScenarioException("scenario", $"no preset or file named '{path}'");
        var format = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => "json",
            ".yaml" or ".yml" => "yaml",
            var other => throw new ScenarioException("scenario", $"file '{path}' must be .json, .yaml or .yml, not '{other}'"),
        };
        return Resolve(null, File.ReadAllText(path), format, overrides);
    }

    private static JsonObject ParseText(string text, string format)
    {
        JsonNode? node;
        try
        {
            node = format == "json" ? JsonNode.Parse(text) : YamlToJson(text);
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException)
        {
            throw new ScenarioException("scenario", $"the {format} does not parse: {FirstLine(e.Message)}");
        }
        return node as JsonObject ?? throw new ScenarioException("scenario", "the file must hold a mapping of keys");
    }

    private static void Merge(JsonObject target, JsonObject source, string prefix)
    {
        foreach (var (key, value) in source.ToList())
        {
            var path = prefix + key;
            if (!target.ContainsKey(key))
                throw new ScenarioException(path, "unknown key" + Suggest(target, key));
            if (target[key] is JsonObject child && value is JsonObject childSource)
                Merge(child, childSource, path + ".");
            else
                target[key] = value?.DeepClone();
        }
    }

    private static void ApplyOverride(JsonObject tree, string assignment)
    {
        var eq = assignment.IndexOf('=');
        if (eq <= 0) throw new ScenarioException(assignment, "an override must look like key=value (e.g. demand.annual_growth=0.2)");
        var key = assignment[..eq].Trim().Replace('-', '_');
        var raw = assignment[(eq + 1)..].Trim();
        var parts = key.Split('.');
        JsonNode node = tree;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var last = i == parts.Length - 1;
            var path = string.Join('.', parts[..(i + 1)]);
            switch (node)
            {
                case JsonObject obj:
                    if (!obj.ContainsKey(part)) throw new ScenarioException(path, "unknown key" + Suggest(obj, part));
                    if (last) obj[part] = ParseValue(raw, obj[part]);
                    else node = obj[part] ?? throw new ScenarioException(path, "has no sub-keys");
                    break;
                case JsonArray array when int.TryParse(part, out var index):
                    if (index < 0 || index >= array.Count)
                        throw new ScenarioException(path, $"index out of range (0..{array.Count - 1})");
                    if (last) array[index] = ParseValue(raw, array[index]);
                    else node = array[index] ?? throw new ScenarioException(path, "has no sub-keys");
                    break;
                default:
                    throw new ScenarioException(path, "has no sub-keys");
            }
        }
    }

    private static JsonNode? ParseValue(string raw, JsonNode? current)
    {
        if (current is JsonValue v && v.GetValueKind() == JsonValueKind.String && !raw.StartsWith('"'))
            return JsonValue.Create(raw);
        try { return JsonNode.Parse(raw); }
        catch (JsonException) { return JsonValue.Create(raw); }
    }

    private static string Suggest(JsonObject obj, string key)
    {
        var best = obj.Select(p => p.Key).OrderBy(k => Distance(k, key)).FirstOrDefault();
        return best is not null && Distance(best, key) <= 3 ? $" (did you mean '{best}'?)" : $" (known keys: {string.Join(", ", obj.Select(p => p.Key))})";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static JsonNode? YamlToJson(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? new JsonObject() : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p =>
            KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? "", Convert(p.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not YamlDotNet.Core.ScalarStyle.Plain) return JsonValue.Create(value);
        if (value is "" or "~" or "null") return null;
        if (value is "true" or "True") return JsonValue.Create(true);
        if (value is "false" or "False") return JsonValue.Create(false);
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var m)) return JsonValue.Create(m);
        return JsonValue.Create(value);
    }
}
