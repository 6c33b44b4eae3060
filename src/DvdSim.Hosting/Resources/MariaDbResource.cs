using System.Text;
using DvdSim.Hosting.Processes;
using DvdSim.Hosting.Runtime;
using MySqlConnector;

namespace DvdSim.Hosting;

/// <summary>
/// A MariaDB server run as a child process (see docs/local-servers.md), or an external
/// MySQL/MariaDB server when <see cref="AppHostOptions.ExternalMySqlConnectionString"/> is set.
/// The connection string names no database: each run picks its own.
/// </summary>
public sealed class MariaDbResource : Resource, IResourceWithConnectionString
{
    public const string UserName = "dvdsim";
    private readonly int? _requestedPort;
    private string _host = "127.0.0.1";
    private int _port;
    private string? _connectionString;
    private string _password = "";
    private string _serverPath = "", _installDbPath = "", _directory = "";
    private string? _lastLoginError;

    internal MariaDbResource(string name, int? port) : base(name) => _requestedPort = port;

    public bool IsExternal { get; private set; }
    public override string Kind => IsExternal ? "external" : "mariadb";
    public override IReadOnlyList<string> Endpoints => [$"tcp://{_host}:{_port}"];
    public int Port => _port;
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException($"{Name} has no connection string before the cluster starts");
    public string DataPath => Path.Combine(_directory, "data");

    private protected override void PrepareCore()
    {
        if (Context.Options.ExternalMySqlConnectionString is { } external)
        {
            PrepareExternal(external);
            return;
        }
        _serverPath = Executables.Find(Name, Context.Options.MariaDbServerPath, "mariadb-server");
        _installDbPath = Executables.Find(Name, Context.Options.MariaDbInstallDbPath, "mariadb-server");
        _directory = Context.Data.ResourcePath(Name);
        _password = Context.State.GetOrAdd(Name, "password", () => ClusterState.NewSecret());
        _port = _requestedPort is { } port
            ? Context.Ports.Require(port, Name)
            : Context.Ports.Allocate(int.TryParse(Context.State.Get(Name, "port"), out var last) ? last : null);
        UsePort(_port);
        Supervise(restartDuringStartup: false, LaunchAsync, WaitReadyAsync, recoverStartupExit: RecoverFromTakenPort);
    }

    private void UsePort(int port)
    {
        _port = port;
        Context.State.Set(Name, "port", port.ToString());
        // AllowLoadLocalInfile: MySqlBulkCopy / LOAD DATA LOCAL. No Database: every run picks its own.
        _connectionString = $"Server=127.0.0.1;Port={port};User ID={UserName};Password={_password};" +
            "AllowLoadLocalInfile=true;AllowUserVariables=true;Pooling=true";
    }

    private void PrepareExternal(string connectionString)
    {
        IsExternal = true;
        MySqlConnectionStringBuilder builder;
        try { builder = new MySqlConnectionStringBuilder(connectionString); }
        catch (ArgumentException e) { throw new HostingException($"{Name}: --mysql is not a valid connection string: {e.Message}"); }
        _host = builder.Server;
        _port = (int)builder.Port;
        // Services bulk-load: add what they need, keep the rest of the user's string as written.
        var completed = connectionString.TrimEnd(';');
        if (!builder.ContainsKey("AllowLoadLocalInfile")) completed += ";AllowLoadLocalInfile=true";
        if (!builder.ContainsKey("AllowUserVariables")) completed += ";AllowUserVariables=true";
        _connectionString = completed;
    }

    private protected override async Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        var timeout = (uint)Math.Clamp(Context.Options.ReadinessTimeout.TotalSeconds, 1, 10);
        var check = new MySqlConnectionStringBuilder(ConnectionString) { Pooling = false, ConnectionTimeout = timeout };
        try
        {
            await using var connection = new MySqlConnection(check.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            Log.Write($"[dvdsim] external server {_host}:{_port} reachable, version {connection.ServerVersion}");
        }
        catch (Exception e) when (e is MySqlException or System.Net.Sockets.SocketException or IOException or InvalidOperationException)
        {
            throw new HostingException($"{Name}: cannot log in to the external MySQL server at {_host}:{_port}: {e.Message}");
        }
    }

    private async Task<LaunchSpec> LaunchAsync(CancellationToken cancellationToken)
    {
        var data = Path.Combine(_directory, "data");
        var tmp = Path.Combine(_directory, "tmp");
        Directory.CreateDirectory(tmp);
        if (!Directory.Exists(Path.Combine(data, "mysql")))
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true); // a half-initialised earlier attempt
            await InstallSystemTablesAsync(data, cancellationToken);
        }
        var initFile = Path.Combine(_directory, "init.sql");
        await WriteOwnerOnlyAsync(initFile, InitSql(), cancellationToken);

        var asRoot = Environment.UserName == "root";
        List<string> args = ["--no-defaults"]; // must be first, or /etc/mysql configuration is read
        if (asRoot) args.Add("--user=root"); // mariadbd refuses to run as root otherwise
        args.AddRange(
        [
            $"--datadir={data}", $"--tmpdir={tmp}",
            $"--port={_port}", "--bind-address=127.0.0.1",
            $"--socket=/tmp/mdb-{_port}.sock", // socket paths over 107 characters abort start-up
            $"--pid-file={Path.Combine(_directory, "mysqld.pid")}",
            $"--log-error={ErrorLog}",
            "--skip-name-resolve", "--skip-log-bin",
            $"--init-file={initFile}",
            "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
            // bulk-friendly: the database is a reproducible artefact, not a system of record
            $"--innodb-buffer-pool-size={BufferPoolMegabytes(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)}M",
            "--innodb-flush-log-at-trx-commit=2", "--innodb-doublewrite=0",
            "--local-infile=1", "--max-allowed-packet=256M",
        ]);
        return new LaunchSpec(_serverPath, args, _directory, new Dictionary<string, string>(), ErrorLog);
    }

    private string ErrorLog => Path.Combine(_directory, "error.log");

    /// <summary>
    /// A quarter of the machine's memory, between 1 GiB and 8 GiB. InnoDB reads and writes its
    /// files directly (O_DIRECT), so what does not fit in the pool is read from disk again: at 100×
    /// volume the random secondary indexes (customer, copy) outgrew a 1 GiB pool after five
    /// simulated years and a week cost three times as much. The pool is claimed as it fills, so
    /// small runs do not use more memory for it. A multiple of 128 MiB, InnoDB's chunk size, so the
    /// server takes it as given.
    /// </summary>
    public static long BufferPoolMegabytes(long totalMemoryBytes) =>
        Math.Clamp(totalMemoryBytes / 4 / (1024 * 1024) / 128 * 128, 1024, 8192);

    /// <summary>
    /// mariadb-install-db into an empty directory, tried twice: it failed once in some hundreds of
    /// CI starts (exit code 1, cause not seen), and a second try costs about a second.
    /// </summary>
    private async Task InstallSystemTablesAsync(string data, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var exitCode = await RunInstallDbAsync(data, cancellationToken);
            if (exitCode == 0) return;
            if (attempt == 2)
                throw new HostingException($"{Name}: mariadb-install-db failed twice (exit code {exitCode}).{Environment.NewLine}{InstallErrors()}");
            Log.Write($"[dvdsim] mariadb-install-db failed (exit code {exitCode}); trying once more in an empty directory");
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    private async Task<int> RunInstallDbAsync(string data, CancellationToken cancellationToken)
    {
        Log.Write($"[dvdsim] creating a new database directory {data}");
        List<string> args = ["--no-defaults"];
        if (Environment.UserName == "root") args.Add("--user=root");
        args.AddRange([$"--datadir={data}", "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"]);
        var install = ChildProcess.Start(
            new LaunchSpec(_installDbPath, args, _directory, new Dictionary<string, string>()), Context.OwnerTag(Name), Log);
        try
        {
            return await install.Exited.WaitAsync(Context.Options.ReadinessTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new HostingException($"{Name}: mariadb-install-db did not finish within {Context.Options.ReadinessTimeout.TotalSeconds:0} s.");
        }
        finally
        {
            await install.StopAsync(TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>
    /// The server's error lines from the install's output: mariadb-install-db ends a failure with
    /// some 25 lines of generic advice, which a plain tail would show instead of the cause.
    /// </summary>
    private string InstallErrors()
    {
        var errors = Log.Lines(500).Where(l => l.Text.Contains("ERROR", StringComparison.Ordinal)).TakeLast(10).ToList();
        return errors.Count > 0
            ? "Its errors:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(l => "    " + l.Text))
            : "Last lines:" + Environment.NewLine + Log.Tail(40);
    }

    /// <summary>Runs before the port opens, on every start: the user and password always match cluster.json.</summary>
    private string InitSql()
    {
        var sql = new StringBuilder();
        foreach (var host in new[] { "127.0.0.1", "localhost" })
        {
            sql.AppendLine($"CREATE USER IF NOT EXISTS '{UserName}'@'{host}' IDENTIFIED BY '{_password}';");
            sql.AppendLine($"ALTER USER '{UserName}'@'{host}' IDENTIFIED BY '{_password}';");
            sql.AppendLine($"GRANT ALL ON *.* TO '{UserName}'@'{host}' WITH GRANT OPTION;");
        }
        return sql.ToString();
    }

    private static async Task WriteOwnerOnlyAsync(string path, string text, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        await using (var stream = new FileStream(path, options))
        await using (var writer = new StreamWriter(stream))
            await writer.WriteAsync(text.AsMemory(), cancellationToken);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private async Task WaitReadyAsync(ChildProcess child, CancellationToken cancellationToken)
    {
        try
        {
            await ReadinessProbes.PollAsync(async token =>
                await ReadinessProbes.PortOpenAsync("127.0.0.1", _port, token)
                && await ReadinessProbes.MySqlLoginAsync(ConnectionString, error => _lastLoginError = error, token),
                TimeSpan.FromMilliseconds(100), cancellationToken);
        }
        catch (OperationCanceledException) when (_lastLoginError is not null)
        {
            Log.Write($"[dvdsim] last login attempt: {_lastLoginError}", isError: true);
            throw;
        }
    }

    /// <summary>A free port can be taken by another process between choosing it and the server binding it.</summary>
    private bool RecoverFromTakenPort()
    {
        if (_requestedPort is not null || PortAllocator.IsFree(_port)) return false;
        UsePort(Context.Ports.Allocate());
        return true;
    }
}
