using System.Globalization;
using System.Runtime.InteropServices;
using Dapper;
using MySqlConnector;

namespace DvdSim.AppHost.Benchmarks;

/// <summary>The facts a benchmark figure means nothing without: cores, memory, CPU, OS, runtime, servers, commit.</summary>
internal static class Machine
{
    public static MachineFacts Describe() => new()
    {
        Cores = Environment.ProcessorCount,
        MemoryGib = Math.Round((MeminfoKb("MemTotal:") ?? 0) / 1024 / 1024, 1),
        CpuModel = CpuModel(),
        Os = OsName(),
        Kernel = RuntimeInformation.OSDescription,
        Dotnet = RuntimeInformation.FrameworkDescription,
        Rabbitmq = RabbitMqVersion(),
    };

    /// <summary>Adds the database server's version and bulk-relevant settings.</summary>
    public static async Task<MachineFacts> WithDatabaseAsync(MachineFacts facts, string serverConnectionString, CancellationToken ct)
    {
        await using var db = new MySqlConnection(serverConnectionString);
        await db.OpenAsync(ct);
        var version = await db.ExecuteScalarAsync<string>(new CommandDefinition("SELECT VERSION()", cancellationToken: ct));
        var settings = await db.QuerySingleAsync<(long Pool, long Flush, string Doublewrite)>(new CommandDefinition(
            "SELECT @@innodb_buffer_pool_size, @@innodb_flush_log_at_trx_commit, CAST(@@innodb_doublewrite AS CHAR)", cancellationToken: ct));
        return facts with
        {
            Mariadb = version,
            MariadbSettings = string.Create(CultureInfo.InvariantCulture,
                $"innodb_buffer_pool_size={settings.Pool / 1024 / 1024}M innodb_flush_log_at_trx_commit={settings.Flush} innodb_doublewrite={settings.Doublewrite}"),
        };
    }

    /// <summary>The checked-out commit, read from .git (no git process); null outside a repository.</summary>
    public static string? Commit(string? repoRoot)
    {
        try
        {
            var git = repoRoot is null ? null : Path.Combine(repoRoot, ".git");
            if (git is null || !File.Exists(Path.Combine(git, "HEAD"))) return null;
            var head = File.ReadAllText(Path.Combine(git, "HEAD")).Trim();
            if (!head.StartsWith("ref: ", StringComparison.Ordinal)) return head;
            var name = head[5..];
            var loose = Path.Combine(git, name);
            if (File.Exists(loose)) return File.ReadAllText(loose).Trim();
            var packed = Path.Combine(git, "packed-refs");
            return File.Exists(packed)
                ? File.ReadLines(packed).Select(l => l.Split(' ')).FirstOrDefault(p => p.Length == 2 && p[1] == name)?[0]
                : null;
        }
        catch (IOException) { return null; }
    }

    /// <summary>The directory holding DvdSim.sln, walking up from the app's base directory.</summary>
    public static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DvdSim.sln"))) return dir.FullName;
        return null;
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string OsName()
    {
        try
        {
            var line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            if (line is not null) return line["PRETTY_NAME=".Length..].Trim('"');
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.OSDescription;
    }

    private static double? MeminfoKb(string key)
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line is null ? null : ProcessSampler.ParseKb(line[key.Length..]);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>From the installed package's directory name (/usr/lib/rabbitmq/lib/rabbitmq_server-3.10.8).</summary>
    private static string? RabbitMqVersion()
    {
        const string lib = "/usr/lib/rabbitmq/lib";
        if (!Directory.Exists(lib)) return null;
        var dir = Directory.EnumerateDirectories(lib, "rabbitmq_server-*").Order(StringComparer.Ordinal).LastOrDefault();
        return dir is null ? null : Path.GetFileName(dir)["rabbitmq_server-".Length..];
    }
}
