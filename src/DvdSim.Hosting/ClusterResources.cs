using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DvdSim.Hosting.Processes;
using DvdSim.Hosting.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace DvdSim.Hosting;

/// <summary>
/// DvdSim's resources for an Aspire app model: MariaDB and RabbitMQ as executables (there is no
/// container runtime here, and Aspire.Hosting.MySql is not served), or the external servers of
/// --mysql/--rabbitmq; and the settings every DvdSim service gets. Every server listens on
/// 127.0.0.1 only, on a port kept in cluster.json, with a generated password kept beside its data.
/// </summary>
public static class ClusterResources
{
    /// <summary>A MariaDB server (or the external one from <see cref="AppHostOptions.ExternalMySqlConnectionString"/>).</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddMariaDb(this IDistributedApplicationBuilder builder, string name, ClusterData data)
    {
        if (data.Options.ExternalMySqlConnectionString is { } external)
            return AddExternalMySql(builder, name, external);

        var server = Executables.Find(name, data.Options.MariaDbServerPath, "mariadb-server");
        var installDb = Executables.Find(name, data.Options.MariaDbInstallDbPath, "mariadb-server");
        var directory = data.ResourcePath(name);
        var secret = data.Secret(name);
        var password = builder.AddParameter(name + "-password", secret, secret: true);
        var resource = new MariaDbServerResource(name, server, directory, data.Port(name), password.Resource);
        var initFile = Path.Combine(directory, "init.sql");

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (started, cancellationToken) =>
        {
            // What goes wrong here shows in the resource's console log, where the start-up error points.
            var log = started.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
            System.IO.Directory.CreateDirectory(Path.Combine(directory, "tmp"));
            if (!System.IO.Directory.Exists(Path.Combine(resource.DataPath, "mysql")))
            {
                try
                {
                    await MariaDbInstall.RunAsync(installDb, resource.DataPath, directory, data.OwnerTag(name), log, cancellationToken);
                }
                catch (HostingException e)
                {
                    log.LogError("{Message}", e.Message);
                    throw;
                }
            }
            await OwnerOnlyFile.WriteAsync(initFile, MariaDbServerResource.InitSql(secret), cancellationToken);
        });

        var connectionString = $"Server=127.0.0.1;Port={resource.Port};User ID={MariaDbServerResource.UserName};Password={secret};Pooling=false;ConnectionTimeout=2";
        return builder.AddResource(resource)
            .WithEndpoint(name: "tcp", scheme: "tcp", port: resource.Port, targetPort: resource.Port, isProxied: false)
            .WithArgs(resource.Arguments(initFile).ToArray())
            .WithReadiness(name + "-login", async cancellationToken =>
                await ReadinessProbes.MySqlLoginAsync(connectionString, null, cancellationToken) ? null : $"cannot log in to MariaDB on 127.0.0.1:{resource.Port} yet");
    }

    /// <summary>A RabbitMQ node with its own epmd (resource "&lt;name&gt;-epmd"), or the external broker from <see cref="AppHostOptions.ExternalRabbitMqUri"/>.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddRabbitMq(this IDistributedApplicationBuilder builder, string name, ClusterData data)
    {
        if (data.Options.ExternalRabbitMqUri is { } external)
            return AddExternalRabbitMq(builder, name, external);

        var epmd = builder.AddEpmd(name + "-epmd", data);
        var server = Executables.Find(name, data.Options.RabbitMqServerPath, "rabbitmq-server");
        var directory = data.ResourcePath(name);
        var secret = data.Secret(name);
        var password = builder.AddParameter(name + "-password", secret, secret: true);
        var resource = new RabbitMqServerResource(name, server, directory, data.Port(name), password.Resource);
        var distributionPort = data.Port(name, "distribution-port");
        // The node name stays with the data directory: RabbitMQ keeps its data per node name.
        var node = data.Keep(name, "node", () => "dvdsim-" + Guid.NewGuid().ToString("N")[..8]) + "@localhost";
        string home = Path.Combine(directory, "home"), mnesia = Path.Combine(directory, "data"), log = Path.Combine(directory, "log");
        string config = Path.Combine(directory, "rabbitmq.conf"), plugins = Path.Combine(directory, "enabled_plugins");

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (_, cancellationToken) =>
        {
            foreach (var dir in new[] { home, mnesia, log }) System.IO.Directory.CreateDirectory(dir);
            // default_user applies on the first boot of an empty data directory only.
            await OwnerOnlyFile.WriteAsync(config, $"""
                listeners.tcp.default = 127.0.0.1:{resource.Port}
                loopback_users = none
                default_user = {RabbitMqServerResource.UserName}
                default_pass = {secret}
                log.console = true
                log.console.level = warning

                """, cancellationToken);
            // no management plugin: it adds seconds to every stop
            await File.WriteAllTextAsync(plugins, "[].", cancellationToken);
        });

        return builder.AddResource(resource)
            .WithEndpoint(name: "tcp", scheme: "tcp", port: resource.Port, targetPort: resource.Port, isProxied: false)
            .WithEnvironment("HOME", home)
            .WithEnvironment("RABBITMQ_NODENAME", node)
            .WithEnvironment("RABBITMQ_DIST_PORT", distributionPort.ToString())
            .WithEnvironment("RABBITMQ_CONFIG_FILE", config)
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", plugins)
            .WithEnvironment("RABBITMQ_MNESIA_BASE", mnesia)
            .WithEnvironment("RABBITMQ_LOG_BASE", log)
            .WithEnvironment("RABBITMQ_PID_FILE", Path.Combine(directory, "rabbit.pid"))
            .WithEnvironment("RABBITMQ_CONF_ENV_FILE", "/dev/null")
            .WithEnvironment("ERL_EPMD_PORT", epmd.Resource.Port.ToString())
            .WithEnvironment("ERL_CRASH_DUMP", Path.Combine(directory, "erl_crash.dump"))
            // No scheduler busy-waiting: on a 2-core machine Erlang's spinning schedulers take CPU
            // from MariaDB and the services that do the actual work.
            .WithEnvironment("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none")
            .WithReadiness(name + "-amqp", async cancellationToken =>
                await ReadinessProbes.AmqpHandshakeAsync("127.0.0.1", resource.Port, cancellationToken) ? null : $"RabbitMQ does not answer AMQP on 127.0.0.1:{resource.Port} yet")
            .WaitFor(epmd);
    }

    private static IResourceBuilder<EpmdResource> AddEpmd(this IDistributedApplicationBuilder builder, string name, ClusterData data)
    {
        var path = Executables.Find(name, data.Options.EpmdPath, "erlang-base", Executables.ErlangDirectories());
        var resource = new EpmdResource(name, path, data.ResourcePath(name), data.Port(name));
        return builder.AddResource(resource)
            .WithEndpoint(name: "tcp", scheme: "tcp", port: resource.Port, targetPort: resource.Port, isProxied: false)
            .WithArgs("-port", resource.Port.ToString(), "-address", "127.0.0.1")
            .WithReadiness(name + "-port", async cancellationToken =>
                await ReadinessProbes.PortOpenAsync("127.0.0.1", resource.Port, cancellationToken) ? null : $"epmd does not listen on 127.0.0.1:{resource.Port} yet");
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddExternalMySql(IDistributedApplicationBuilder builder, string name, string connectionString)
    {
        MySqlConnectionStringBuilder parsed;
        try { parsed = new MySqlConnectionStringBuilder(connectionString); }
        catch (ArgumentException e) { throw new HostingException($"{name}: --mysql is not a valid connection string: {e.Message}"); }
        // Services bulk-load: add what they need, keep the rest of the user's string as written.
        var completed = connectionString.TrimEnd(';');
        if (!parsed.ContainsKey("AllowLoadLocalInfile")) completed += ";AllowLoadLocalInfile=true";
        if (!parsed.ContainsKey("AllowUserVariables")) completed += ";AllowUserVariables=true";
        var probe = new MySqlConnectionStringBuilder(completed) { Pooling = false, ConnectionTimeout = 5 }.ConnectionString;
        var secret = builder.AddParameter(name + "-connection-string", completed, secret: true);
        return builder.AddConnectionString(name, ReferenceExpression.Create($"{secret.Resource}"))
            .WithReadiness(name + "-login", async cancellationToken =>
            {
                string? error = null;
                return await ReadinessProbes.MySqlLoginAsync(probe, e => error = e, cancellationToken)
                    ? null : $"cannot log in to the external MySQL server at {parsed.Server}:{parsed.Port}: {error}";
            });
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddExternalRabbitMq(IDistributedApplicationBuilder builder, string name, string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("amqp" or "amqps"))
            throw new HostingException($"{name}: --rabbitmq must be an AMQP URI like amqp://user:pass@host:5672, not '{RedactedUri(uri)}'.");
        var port = parsed.IsDefaultPort || parsed.Port < 0 ? (parsed.Scheme == "amqps" ? 5671 : 5672) : parsed.Port;
        var secret = builder.AddParameter(name + "-uri", uri, secret: true);
        return builder.AddConnectionString(name, ReferenceExpression.Create($"{secret.Resource}"))
            .WithReadiness(name + "-amqp", async cancellationToken =>
            {
                // Over TLS only the port can be checked without a TLS client.
                var reachable = parsed.Scheme == "amqps"
                    ? await ReadinessProbes.PortOpenAsync(parsed.Host, port, cancellationToken)
                    : await ReadinessProbes.AmqpHandshakeAsync(parsed.Host, port, cancellationToken);
                return reachable ? null : $"the external RabbitMQ broker at {parsed.Host}:{port} does not answer AMQP";
            });
    }

    /// <summary>
    /// A health check named <paramref name="check"/> for the resource: <paramref name="problem"/> says
    /// what is not ready yet, or null when it is. Aspire polls it; WaitFor and the start wait for it.
    /// </summary>
    private static IResourceBuilder<T> WithReadiness<T>(this IResourceBuilder<T> resource, string check, Func<CancellationToken, Task<string?>> problem)
        where T : IResource
    {
        resource.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(check, async cancellationToken =>
            await problem(cancellationToken) is { } notReady ? HealthCheckResult.Unhealthy(notReady) : HealthCheckResult.Healthy());
        return resource.WithHealthCheck(check);
    }

    private static string RedactedUri(string uri) => System.Text.RegularExpressions.Regex.Replace(uri, "(://[^:/@]+:)[^@]*(@)", "$1********$2");

    /// <summary>The smallest gen0 budget a service gets (hex, as the runtime reads it): 64 MiB.</summary>
    public const string Gen0Budget = "4000000";

    /// <summary>
    /// A DvdSim service (<typeparamref name="TProject"/>: Aspire's project metadata) run from its
    /// build output, see <see cref="AddService(IDistributedApplicationBuilder, string, string, ClusterData)"/>.
    /// </summary>
    public static IResourceBuilder<ServiceResource> AddService<TProject>(this IDistributedApplicationBuilder builder, string name, ClusterData data)
        where TProject : IProjectMetadata, new() =>
        builder.AddService(name, new TProject().ProjectPath, data);

    /// <summary>
    /// A DvdSim service run from its build output (<c>dotnet bin/&lt;Configuration&gt;/net10.0/X.dll</c>)
    /// rather than as an Aspire project resource, which DCP starts with <c>dotnet run --no-build</c>:
    /// five of those evaluate five projects with MSBuild at once, and on two cores the cluster was
    /// healthy after 15–18 s instead of 9.5 s (docs/hosting.md). It gets what a project resource
    /// gets (OTEL_* for the dashboard, service discovery by WithReference, health from GET /health)
    /// plus an HTTP endpoint on 127.0.0.1 at a kept port with no proxy in between, and the runtime settings of docs/benchmarks.md.
    /// </summary>
    public static IResourceBuilder<ServiceResource> AddService(this IDistributedApplicationBuilder builder, string name, string projectPath, ClusterData data)
    {
        var dll = ServiceResource.BuiltDll(name, projectPath, data.Options.Configuration);
        var port = data.Port(name);
        var service = builder.AddResource(new ServiceResource(name, Executables.Dotnet(data.Options.DotnetPath), Path.GetDirectoryName(dll)!, projectPath))
            .WithArgs(dll)
            .WithOtlpExporter()
            .WithHttpEndpoint(port: port, targetPort: port, name: "http", isProxied: false)
            .WithHttpHealthCheck("/health")
            .WithEnvironment("ASPNETCORE_URLS", "http://127.0.0.1:" + port)
            .WithEnvironment("DOTNET_ENVIRONMENT", "Production")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Production");
        // A larger gen0 budget than workstation GC's cache-sized default: a service allocates its
        // week's SQL and messages (hundreds of KB) many times a second, and with the default it
        // collected so often that a 10-year run spent about 1 CPU second more in the GC. Only
        // settable from the environment; a value the AppHost itself was started with is kept.
        if (Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is null)
            service.WithEnvironment("DOTNET_GCgen0size", ServiceResource.Gen0Budget);
        return service;
    }
}
