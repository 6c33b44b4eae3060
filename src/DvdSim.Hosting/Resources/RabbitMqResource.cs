using DvdSim.Hosting.Processes;
using DvdSim.Hosting.Runtime;

namespace DvdSim.Hosting;

/// <summary>
/// A RabbitMQ node run as a child process with its own epmd (see docs/local-servers.md), or an
/// external broker when <see cref="AppHostOptions.ExternalRabbitMqUri"/> is set. Its connection
/// string is an AMQP URI: amqp://user:pass@127.0.0.1:port.
/// </summary>
public sealed class RabbitMqResource : Resource, IResourceWithConnectionString
{
    public const string UserName = "dvdsim";
    private readonly int? _requestedPort;
    private readonly EpmdResource? _epmd;
    private string _host = "127.0.0.1";
    private int _port, _distributionPort;
    private string _password = "", _node = "", _serverPath = "", _directory = "";
    private string? _connectionString;

    internal RabbitMqResource(string name, int? port, EpmdResource? epmd) : base(name)
    {
        _requestedPort = port;
        _epmd = epmd;
        if (epmd is not null) WaitsFor.Add(epmd);
    }

    public bool IsExternal { get; private set; }
    public override string Kind => IsExternal ? "external" : "rabbitmq";
    public override IReadOnlyList<string> Endpoints => [$"amqp://{_host}:{_port}"];
    public int Port => _port;
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException($"{Name} has no connection string before the cluster starts");
    /// <summary>The Erlang node name, e.g. dvdsim-1a2b3c4d@localhost.</summary>
    public string NodeName => _node;

    private protected override void PrepareCore()
    {
        if (Context.Options.ExternalRabbitMqUri is { } external)
        {
            PrepareExternal(external);
            return;
        }
        if (_epmd is null) throw new InvalidOperationException("a local RabbitMQ node needs its epmd");
        _serverPath = Executables.Find(Name, Context.Options.RabbitMqServerPath, "rabbitmq-server");
        _directory = Context.Data.ResourcePath(Name);
        _password = Context.State.GetOrAdd(Name, "password", () => ClusterState.NewSecret());
        // The node name stays with the data directory: RabbitMQ keeps its data per node name.
        _node = Context.State.GetOrAdd(Name, "node", () => "dvdsim-" + Guid.NewGuid().ToString("N")[..8]) + "@localhost";
        _port = _requestedPort is { } port
            ? Context.Ports.Require(port, Name)
            : Context.Ports.Allocate(int.TryParse(Context.State.Get(Name, "port"), out var last) ? last : null);
        _distributionPort = Context.Ports.Allocate(int.TryParse(Context.State.Get(Name, "distribution-port"), out var dist) ? dist : null);
        UsePorts(_port, _distributionPort);
        Supervise(restartDuringStartup: false, LaunchAsync, WaitReadyAsync, recoverStartupExit: RecoverFromTakenPort);
    }

    private void UsePorts(int port, int distributionPort)
    {
        _port = port;
        _distributionPort = distributionPort;
        Context.State.Set(Name, "port", port.ToString());
        Context.State.Set(Name, "distribution-port", distributionPort.ToString());
        _connectionString = $"amqp://{UserName}:{_password}@127.0.0.1:{port}";
    }

    private void PrepareExternal(string uri)
    {
        IsExternal = true;
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("amqp" or "amqps"))
            throw new HostingException($"{Name}: --rabbitmq must be an AMQP URI like amqp://user:pass@host:5672, not '{uri}'.");
        _host = parsed.Host;
        _port = parsed.IsDefaultPort || parsed.Port < 0 ? (parsed.Scheme == "amqps" ? 5671 : 5672) : parsed.Port;
        _connectionString = uri;
    }

    private protected override async Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(Math.Clamp(Context.Options.ReadinessTimeout.TotalSeconds, 1, 10));
        var isTls = _connectionString!.StartsWith("amqps:", StringComparison.Ordinal);
        while (true)
        {
            // Over TLS only the port can be checked without a TLS client.
            var reachable = isTls
                ? await ReadinessProbes.PortOpenAsync(_host, _port, cancellationToken)
                : await ReadinessProbes.AmqpHandshakeAsync(_host, _port, cancellationToken);
            if (reachable)
            {
                Log.Write($"[dvdsim] external broker {_host}:{_port} answers");
                return;
            }
            if (DateTime.UtcNow > deadline)
                throw new HostingException($"{Name}: the external RabbitMQ broker at {_host}:{_port} does not answer AMQP.");
            await Task.Delay(500, cancellationToken);
        }
    }

    private async Task<LaunchSpec> LaunchAsync(CancellationToken cancellationToken)
    {
        string home = Path.Combine(_directory, "home"), data = Path.Combine(_directory, "data"), log = Path.Combine(_directory, "log");
        foreach (var dir in new[] { home, data, log }) Directory.CreateDirectory(dir);
        var config = Path.Combine(_directory, "rabbitmq.conf");
        await File.WriteAllTextAsync(config, $"""
            listeners.tcp.default = 127.0.0.1:{_port}
            loopback_users = none
            default_user = {UserName}
            default_pass = {_password}
            log.console = false

            """, cancellationToken);
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var plugins = Path.Combine(_directory, "enabled_plugins");
        await File.WriteAllTextAsync(plugins, "[].", cancellationToken); // no management plugin: it adds seconds to every stop

        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["RABBITMQ_NODENAME"] = _node,
            ["RABBITMQ_DIST_PORT"] = _distributionPort.ToString(),
            ["RABBITMQ_CONFIG_FILE"] = config,
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = plugins,
            ["RABBITMQ_MNESIA_BASE"] = data,
            ["RABBITMQ_LOG_BASE"] = log,
            ["RABBITMQ_PID_FILE"] = Path.Combine(_directory, "rabbit.pid"),
            ["RABBITMQ_CONF_ENV_FILE"] = "/dev/null",
            ["ERL_EPMD_PORT"] = _epmd!.Port.ToString(),
            ["ERL_CRASH_DUMP"] = Path.Combine(_directory, "erl_crash.dump"),
            // No scheduler busy-waiting: on a 2-core machine Erlang's spinning schedulers take CPU
            // from MariaDB and the services that do the actual work.
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none",
        };
        return new LaunchSpec(_serverPath, [], _directory, environment, Path.Combine(log, _node + ".log"));
    }

    private Task WaitReadyAsync(ChildProcess child, CancellationToken cancellationToken) =>
        ReadinessProbes.PollAsync(token => ReadinessProbes.AmqpHandshakeAsync("127.0.0.1", _port, token), TimeSpan.FromMilliseconds(200), cancellationToken);

    private bool RecoverFromTakenPort()
    {
        var amqpTaken = !PortAllocator.IsFree(_port);
        var distributionTaken = !PortAllocator.IsFree(_distributionPort);
        if (!distributionTaken && (!amqpTaken || _requestedPort is not null)) return false;
        UsePorts(amqpTaken && _requestedPort is null ? Context.Ports.Allocate() : _port,
            distributionTaken ? Context.Ports.Allocate() : _distributionPort);
        return true;
    }
}
