using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using DvdSim.Contracts;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DvdSim.Model.Scenarios;

/// <summary>
/// Resolves a scenario: the defaults, then a preset or a JSON/YAML file (only the keys that
/// differ), then command-line overrides (<c>key.path=value</c>), then validation. Any key that
/// is not a scenario key is an error naming it — nothing is silently ignored. Hostile input
/// (huge files, deep nesting, YAML aliases, duplicate keys, values of the wrong type) is
/// refused with a <see cref="ScenarioException"/> before anything is built from it
/// (docs/hostile-input.md).
/// </summary>
public static class ScenarioLoader
{
    public const string DefaultPreset = "standard-3y";

    /// <summary>A scenario is a few dozen keys; anything much larger is a mistake or an attack.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>The deepest scenario key is 4 levels down; beyond this a file is refused, not recursed into.</summary>
    public const int MaxDepth = 64;

    /// <summary>Phases, segments, shocks, purchases: more than this is not a business but a denial of service.</summary>
    public const int MaxListItems = 1000;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

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
    /// Resolves <paramref name="presetName"/> (or, when given, already-read file text in
    /// <paramref name="format"/>: "json" or "yaml") plus overrides.
    /// </summary>
    public static Scenario Resolve(string? presetName, string? fileText = null, string format = "yaml",
        IEnumerable<string>? overrides = null)
    {
        var tree = (JsonObject)JsonNode.Parse(ScenarioJson.Write(new Scenario()))!;
        if (fileText is null)
        {
            var name = presetName ?? DefaultPreset;
            var text = PresetText(name) ?? throw new ScenarioException("scenario",
                $"no preset named '{UserText.Shown(name)}' (presets: {string.Join(", ", Presets)})");
            Merge(tree, ParseText(text, "yaml"), "");
        }
        else
        {
            if (fileText.Length > MaxFileBytes)
                throw new ScenarioException("scenario", $"the {format} text is {fileText.Length:N0} characters long, at most {MaxFileBytes:N0} are allowed");
            Merge(tree, ParseText(fileText, format), "");
        }
        foreach (var assignment in overrides ?? []) ApplyOverride(tree, assignment);
        CheckShape(tree, typeof(Scenario), "");

        Scenario scenario;
        try
        {
            scenario = JsonSerializer.Deserialize<Scenario>(tree.ToJsonString(), ScenarioJson.Options)
                       ?? throw new ScenarioException("scenario", "empty");
        }
        catch (JsonException e)
        {
            // CheckShape should have named the key already; this is the backstop.
            var key = (e.Path ?? "$").TrimStart('$', '.').Replace("[", ".").Replace("]", "");
            throw new ScenarioException(key.Length == 0 ? "scenario" : key, "wrong type of value (" + JsonProblem(e) + ")");
        }
        ScenarioValidator.Validate(scenario);
        return scenario;
    }

    /// <summary>Reads a scenario file (.json, .yaml or .yml) of at most <see cref="MaxFileBytes"/>.</summary>
    public static Scenario FromFile(string path, IEnumerable<string>? overrides = null)
    {
        var shown = UserText.Shown(path, 200);
        if (!File.Exists(path)) throw new ScenarioException("scenario", $"no preset or file named '{shown}'");
        var format = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => "json",
            ".yaml" or ".yml" => "yaml",
            var other => throw new ScenarioException("scenario", $"file '{shown}' must be .json, .yaml or .yml, not '{UserText.Shown(other)}'"),
        };
        // The size is checked before the file is read, so a huge file is never loaded whole.
        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
            throw new ScenarioException("scenario", $"file '{shown}' is {length:N0} bytes, at most {MaxFileBytes:N0} are allowed");
        return Resolve(null, File.ReadAllText(path), format, overrides);
    }

    private static JsonObject ParseText(string text, string format)
    {
        JsonNode? node;
        try
        {
            node = format switch
            {
                "json" => JsonNode.Parse(text, documentOptions: ParseOptions),
                "yaml" => YamlToJson(text),
                _ => throw new ScenarioException("scenario", $"unknown format '{UserText.Shown(format)}' (json or yaml)"),
            };
        }
        catch (JsonException e)
        {
            throw new ScenarioException("scenario", $"the json does not parse: {JsonProblem(e)}");
        }
        catch (YamlException e)
        {
            throw new ScenarioException("scenario", $"the yaml does not parse at line {e.Start.Line}, column {e.Start.Column}: {FirstLine(e.Message)}");
        }
        return node as JsonObject ?? throw new ScenarioException("scenario", "the file must hold a mapping of keys");
    }

    private static void Merge(JsonObject target, JsonObject source, string prefix)
    {
        foreach (var (key, value) in source.ToList())
        {
            var path = prefix + key;
            if (!target.ContainsKey(key))
                throw new ScenarioException(path, "unknown key" + Suggest(target.Select(p => p.Key), key));
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
        var key = assignment[..eq].Trim();
        var raw = assignment[(eq + 1)..].Trim();
        var parts = key.Split('.');
        if (parts.Any(p => p.Length == 0))
            throw new ScenarioException(key, "has an empty part: keys look like demand.annual_growth or demand.monthly_seasonality.6");
        JsonNode node = tree;
        for (var i = 0; i < parts.Length; i++)
        {
            // annual-growth is annual_growth; an index (-1) stays as typed.
            var part = parts[i] = node is JsonObject ? parts[i].Replace('-', '_') : parts[i];
            var last = i == parts.Length - 1;
            var path = string.Join('.', parts[..(i + 1)]);
            switch (node)
            {
                case JsonObject obj:
                    if (!obj.ContainsKey(part)) throw new ScenarioException(path, "unknown key" + Suggest(obj.Select(p => p.Key), part));
                    if (last) Assign(obj[part], raw, path, value => obj[part] = value);
                    else node = obj[part] ?? throw new ScenarioException(path, "has no sub-keys");
                    break;
                case JsonArray array:
                    if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= array.Count)
                        throw new ScenarioException(path, array.Count == 0
                            ? "index out of range (the list is empty; set the whole list as JSON)"
                            : $"index out of range (0..{array.Count - 1})");
                    if (last) Assign(array[index], raw, path, value => array[index] = value);
                    else node = array[index] ?? throw new ScenarioException(path, "has no sub-keys");
                    break;
                default:
                    throw new ScenarioException(path, "has no sub-keys");
            }
        }
    }

    /// <summary>An override's value: a mapping is merged into the key's (unknown keys refused), anything else replaces it.</summary>
    private static void Assign(JsonNode? current, string raw, string path, Action<JsonNode?> set)
    {
        var value = ParseValue(raw, current);
        if (current is JsonObject target && value is JsonObject source) Merge(target, source, path + ".");
        else set(value);
    }

    private static JsonNode? ParseValue(string raw, JsonNode? current)
    {
        if (current is JsonValue v && v.GetValueKind() == JsonValueKind.String && !raw.StartsWith('"'))
            return JsonValue.Create(raw);
        try { return JsonNode.Parse(raw, documentOptions: ParseOptions); }
        catch (JsonException) { return JsonValue.Create(raw); }
    }

    /// <summary>
    /// Walks the merged tree along the <see cref="Scenario"/> type and names the first key whose
    /// value cannot be what the key is: unknown keys inside lists, nulls, numbers out of range,
    /// text where a number goes, lists that are too long.
    /// </summary>
    private static void CheckShape(JsonNode? node, Type type, string path)
    {
        var key = path.Length == 0 ? "scenario" : path;
        if (node is null) throw new ScenarioException(key, $"must not be null: give {Expected(type)}");
        if (type.IsArray)
        {
            if (node is not JsonArray array) throw Mistyped(key, type, node);
            if (array.Count > MaxListItems) throw new ScenarioException(key, $"has {array.Count:N0} items, at most {MaxListItems:N0} are allowed");
            for (var i = 0; i < array.Count; i++)
                CheckShape(array[i], type.GetElementType()!, $"{path}.{i.ToString(CultureInfo.InvariantCulture)}");
            return;
        }
        if (Expected(type) == "a mapping of keys")
        {
            if (node is not JsonObject obj) throw Mistyped(key, type, node);
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .ToDictionary(p => ScenarioJson.Options.PropertyNamingPolicy!.ConvertName(p.Name), p => p.PropertyType);
            foreach (var (name, item) in obj)
            {
                var child = path.Length == 0 ? name : $"{path}.{name}";
                if (!properties.TryGetValue(name, out var propertyType))
                    throw new ScenarioException(child, "unknown key" + Suggest(properties.Keys, name));
                CheckShape(item, propertyType, child);
            }
            return;
        }
        if (node is not JsonValue scalar || !Fits(scalar, type)) throw Mistyped(key, type, node);
    }

    private static bool Fits(JsonValue value, Type type)
    {
        var kind = value.GetValueKind();
        if (type == typeof(string) || type.IsEnum) return kind == JsonValueKind.String;
        if (type == typeof(bool)) return kind is JsonValueKind.True or JsonValueKind.False;
        if (type == typeof(DateOnly))
            return kind == JsonValueKind.String &&
                   DateOnly.TryParseExact(value.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
        if (kind != JsonValueKind.Number) return false;
        var text = value.ToJsonString();
        var c = CultureInfo.InvariantCulture;
        if (type == typeof(int)) return int.TryParse(text, NumberStyles.AllowLeadingSign, c, out _);
        if (type == typeof(long)) return long.TryParse(text, NumberStyles.AllowLeadingSign, c, out _);
        if (type == typeof(double)) return double.TryParse(text, NumberStyles.Float, c, out var d) && double.IsFinite(d);
        if (type == typeof(decimal)) return decimal.TryParse(text, NumberStyles.Float, c, out _);
        return true; // a type the scenario does not use yet: the deserializer decides
    }

    private static string Expected(Type type) =>
        type == typeof(int) ? "a whole number from -2,147,483,648 to 2,147,483,647"
        : type == typeof(long) ? "a whole number from -9,223,372,036,854,775,808 to 9,223,372,036,854,775,807"
        : type == typeof(double) ? "a finite number"
        : type == typeof(decimal) ? "a number of at most 28 digits"
        : type == typeof(bool) ? "true or false"
        : type == typeof(string) ? "a text"
        : type == typeof(DateOnly) ? "a date written yyyy-mm-dd (0001-01-01 to 9999-12-31)"
        : type.IsEnum ? "a name"
        : type.IsArray ? "a list"
        : type.IsClass ? "a mapping of keys"
        : type.Name;

    private static ScenarioException Mistyped(string key, Type type, JsonNode node)
    {
        var given = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? $"'{v.GetValue<string>()}'"
            : node is JsonArray ? "a list" : node is JsonObject ? "a mapping" : node.ToJsonString();
        return new ScenarioException(key, $"expects {Expected(type)}, not {UserText.Shown(given)}");
    }

    private static string Suggest(IEnumerable<string> known, string key)
    {
        var keys = known.ToList();
        // Long keys get no suggestion: the edit distance of a 1 MiB key is not worth computing.
        var best = key.Length > 100 ? null : keys.OrderBy(k => Distance(k, key)).FirstOrDefault();
        return best is not null && Distance(best, key) <= 3 ? $" (did you mean '{best}'?)" : $" (known keys: {string.Join(", ", keys)})";
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

    private static string FirstLine(string message) => UserText.Shown(message.Split('\n')[0].Trim(), 200);

    /// <summary>A JSON error without System.Text.Json's path suffix (it can be hundreds of "[0]" long), with the line and position.</summary>
    private static string JsonProblem(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var problem = FirstLine(cut < 0 ? message : message[..cut]);
        return e.LineNumber is { } line ? $"{problem} (line {line + 1}, byte {e.BytePositionInLine + 1})" : problem;
    }

    /// <summary>
    /// YAML read event by event (no YamlStream): aliases are refused, so a "billion laughs"
    /// file cannot expand; nesting stops at <see cref="MaxDepth"/>, so it cannot overflow the
    /// stack; a key given twice or a key that is not a plain name is named.
    /// </summary>
    private static JsonNode? YamlToJson(string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        if (parser.TryConsume<StreamEnd>(out _)) return new JsonObject();
        parser.Consume<DocumentStart>();
        if (parser.Accept<SequenceStart>(out _)) throw new ScenarioException("scenario", "the file must hold a mapping of keys");
        var root = ReadYaml(parser, "", 1);
        parser.Consume<DocumentEnd>();
        if (!parser.TryConsume<StreamEnd>(out _))
            throw new ScenarioException("scenario", "the yaml holds more than one document (---): give one");
        return root;
    }

    private static JsonNode? ReadYaml(IParser parser, string path, int depth)
    {
        var key = path.Length == 0 ? "scenario" : path;
        // Named by the top key where the nesting starts: its full path would be 64 levels of ".0".
        if (depth > MaxDepth) throw new ScenarioException(key.Split('.')[0], $"nested deeper than {MaxDepth} levels");
        if (parser.TryConsume<AnchorAlias>(out var alias))
            throw new ScenarioException(key, $"yaml aliases (*{UserText.Shown(alias.Value.ToString())}) are not supported: write the value out");
        if (parser.TryConsume<Scalar>(out var scalar)) return Scalar(scalar);
        if (parser.TryConsume<SequenceStart>(out _))
        {
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
                array.Add(ReadYaml(parser, $"{path}{(path.Length == 0 ? "" : ".")}{array.Count.ToString(CultureInfo.InvariantCulture)}", depth + 1));
            return array;
        }
        parser.Consume<MappingStart>();
        var map = new JsonObject();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            if (!parser.TryConsume<Scalar>(out var name))
                throw new ScenarioException(key, "a key must be a plain name, not a list, a mapping or an alias");
            var child = path.Length == 0 ? name.Value : $"{path}.{name.Value}";
            if (map.ContainsKey(name.Value)) throw new ScenarioException(child, "is given twice");
            map[name.Value] = ReadYaml(parser, child, depth + 1);
        }
        return map;
    }

    private static JsonNode? Scalar(Scalar scalar)
    {
        var value = scalar.Value;
        if (scalar.Style is not ScalarStyle.Plain) return JsonValue.Create(value);
        if (value is "" or "~" or "null") return null;
        if (value is "true" or "True") return JsonValue.Create(true);
        if (value is "false" or "False") return JsonValue.Create(false);
        var c = CultureInfo.InvariantCulture;
        if (long.TryParse(value, NumberStyles.Integer, c, out var l)) return JsonValue.Create(l);
        if (decimal.TryParse(value, NumberStyles.Float, c, out var m)) return JsonValue.Create(m);
        // Beyond decimal (1e30) but finite: still a number, so the error says it is out of range, not mistyped.
        if (double.TryParse(value, NumberStyles.Float, c, out var d) && double.IsFinite(d)) return JsonValue.Create(d);
        return JsonValue.Create(value);
    }
}
