namespace DvdSim.Hosting;

/// <summary>How the orchestrator runs the cluster. Defaults suit a developer machine.</summary>
public sealed class AppHostOptions
{
    /// <summary>Where servers keep their data, plus logs and generated passwords. Default: $DVDSIM_HOME, else ./.dvdsim.</summary>
    public string? DataDirectory { get; set; }
    /// <summary>Wipe the data directory before starting.</summary>
    public bool Fresh { get; set; }
    /// <summary>Use a temporary data directory, deleted at shutdown.</summary>
    public bool Ephemeral { get; set; }

    /// <summary>Use this MySQL/MariaDB server (ADO.NET connection string) instead of starting one.</summary>
    public string? ExternalMySqlConnectionString { get; set; }
    /// <summary>Use this RabbitMQ broker (amqp://user:pass@host:port) instead of starting one.</summary>
    public string? ExternalRabbitMqUri { get; set; }

    /// <summary>How long one start of a resource may take to become ready (servers: login/handshake; projects: GET /health = 200).</summary>
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>How long a process may take to exit after SIGTERM before its whole tree is killed.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Consecutive restarts of a crashed process before it is marked Failed.</summary>
    public int MaxRestarts { get; set; } = 5;
    /// <summary>Delay before the first restart; doubles with each consecutive crash (capped at 30 s).</summary>
    public TimeSpan RestartBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Build configuration of the projects to run; default: the configuration DvdSim.Hosting was built with.</summary>
    public string? Configuration { get; set; }

    public string MariaDbServerPath { get; set; } = "mariadbd";
    public string MariaDbInstallDbPath { get; set; } = "mariadb-install-db";
    /// <summary>The real server script: the /usr/sbin wrapper would switch user and HOME.</summary>
    public string RabbitMqServerPath { get; set; } = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    public string EpmdPath { get; set; } = "epmd";
    /// <summary>The dotnet host that runs project dlls; default: the one running this process.</summary>
    public string? DotnetPath { get; set; }

    /// <summary>The command-line options understood by <see cref="TryParseOption"/>, for help texts.</summary>
    public static IReadOnlyList<(string Option, string Description)> CommandLineOptions { get; } =
    [
        ("--data-dir DIR", "data, logs and generated passwords (default: $DVDSIM_HOME or ./.dvdsim; kept between runs)"),
        ("--fresh", "wipe the data directory first"),
        ("--ephemeral", "use a temporary data directory, deleted at shutdown"),
        ("--mysql CONNECTION_STRING", "use an existing MySQL/MariaDB server instead of starting one"),
        ("--rabbitmq AMQP_URI", "use an existing RabbitMQ broker (amqp://user:pass@host:port) instead of starting one"),
    ];

    /// <summary>
    /// Applies one hosting option from a command line. <paramref name="nextValue"/> supplies the
    /// option's value when it takes one. Returns false when <paramref name="option"/> is not a hosting option.
    /// </summary>
    public bool TryParseOption(string option, Func<string> nextValue)
    {
        switch (option)
        {
            case "--data-dir": DataDirectory = nextValue(); return true;
            case "--fresh": Fresh = true; return true;
            case "--ephemeral": Ephemeral = true; return true;
            case "--mysql": ExternalMySqlConnectionString = nextValue(); return true;
            case "--rabbitmq": ExternalRabbitMqUri = nextValue(); return true;
            default: return false;
        }
    }

    /// <summary>Options from a command line holding only hosting options (for small hosts; the AppHost CLI has its own parser).</summary>
    public static AppHostOptions Parse(IReadOnlyList<string> args)
    {
        var options = new AppHostOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            var index = i;
            string Next() => index + 1 < args.Count ? args[i = index + 1] : throw new ArgumentException($"option {option} needs a value");
            if (!options.TryParseOption(option, Next)) throw new ArgumentException($"unknown option: {option}");
        }
        return options;
    }

    internal void Validate()
    {
        if (Ephemeral && DataDirectory is not null)
            throw new ArgumentException("--ephemeral and --data-dir exclude each other");
        if (MaxRestarts < 0) throw new ArgumentException("MaxRestarts must be 0 or more");
        if (ReadinessTimeout <= TimeSpan.Zero) throw new ArgumentException("ReadinessTimeout must be positive");
    }
}
