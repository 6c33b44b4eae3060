using System.Text;
using Aspire.Hosting.ApplicationModel;

namespace DvdSim.Hosting;

/// <summary>
/// A MariaDB server run by DCP as an executable (docs/local-servers.md), listening on 127.0.0.1
/// only. Its connection string names no database: each run picks its own.
/// </summary>
public sealed class MariaDbServerResource(string name, string command, string directory, int port, ParameterResource password)
    : ExecutableResource(name, command, directory), IResourceWithConnectionString
{
    public const string UserName = "dvdsim";

    public int Port { get; } = port;
    public ParameterResource Password { get; } = password;
    public string Directory { get; } = directory;
    public string DataPath => Path.Combine(Directory, "data");

    // AllowLoadLocalInfile: MySqlBulkCopy / LOAD DATA LOCAL. No Database: every run picks its own.
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Server=127.0.0.1;Port={Port.ToString()};User ID={UserName};Password={Password};AllowLoadLocalInfile=true;AllowUserVariables=true;Pooling=true");

    /// <summary>The server's arguments; --no-defaults must come first, or /etc/mysql is read.</summary>
    internal IEnumerable<string> Arguments(string initFile)
    {
        yield return "--no-defaults";
        if (Environment.UserName == "root") yield return "--user=root"; // mariadbd refuses to run as root otherwise
        yield return $"--datadir={DataPath}";
        yield return $"--tmpdir={Path.Combine(Directory, "tmp")}";
        yield return $"--port={Port}";
        yield return "--bind-address=127.0.0.1";
        yield return $"--socket=/tmp/mdb-{Port}.sock"; // socket paths over 107 characters abort start-up
        yield return $"--pid-file={Path.Combine(Directory, "mysqld.pid")}";
        yield return "--skip-name-resolve";
        yield return "--skip-log-bin";
        yield return $"--init-file={initFile}";
        yield return "--character-set-server=utf8mb4";
        yield return "--collation-server=utf8mb4_unicode_ci";
        // bulk-friendly: the database is a reproducible artefact, not a system of record
        yield return $"--innodb-buffer-pool-size={BufferPoolMegabytes(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)}M";
        yield return "--innodb-flush-log-at-trx-commit=2";
        yield return "--innodb-doublewrite=0";
        yield return "--local-infile=1";
        yield return "--max-allowed-packet=256M";
    }

    /// <summary>
    /// A quarter of the machine's memory, between 1 GiB and 8 GiB. InnoDB reads and writes its
    /// files directly (O_DIRECT), so what does not fit in the pool is read from disk again: at 100×
    /// volume the random secondary indexes (customer, copy) outgrew a 1 GiB pool after five
    /// simulated years and a week cost three times as much. The pool is claimed as it fills, so
    /// small runs do not use more memory for it. A multiple of 128 MiB, InnoDB's chunk size.
    /// </summary>
    public static long BufferPoolMegabytes(long totalMemoryBytes) =>
        Math.Clamp(totalMemoryBytes / 4 / (1024 * 1024) / 128 * 128, 1024, 8192);

    /// <summary>Runs before the port opens, on every start: the user and password always match cluster.json.</summary>
    internal static string InitSql(string password)
    {
        var sql = new StringBuilder();
        foreach (var host in new[] { "127.0.0.1", "localhost" })
        {
            sql.AppendLine($"CREATE USER IF NOT EXISTS '{UserName}'@'{host}' IDENTIFIED BY '{password}';");
            sql.AppendLine($"ALTER USER '{UserName}'@'{host}' IDENTIFIED BY '{password}';");
            sql.AppendLine($"GRANT ALL ON *.* TO '{UserName}'@'{host}' WITH GRANT OPTION;");
        }
        return sql.ToString();
    }
}
