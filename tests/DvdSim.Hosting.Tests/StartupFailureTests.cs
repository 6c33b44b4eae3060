using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DvdSim.Hosting.Tests.Support;

namespace DvdSim.Hosting.Tests;

/// <summary>Start-up errors are clear, never hang, and leave no process behind.</summary>
public sealed class StartupFailureTests
{
    private static Task<Cluster> ServersAsync(AppHostOptions options, bool rabbit = true, ConcurrentBag<int>? pids = null) =>
        Clusters.StartAsync(options, (builder, data) =>
        {
            builder.AddMariaDb("mysql", data);
            if (rabbit) builder.AddRabbitMq("messaging", data);
        }, changes: r => { if (r.ProcessId is { } pid) pids?.Add(pid); });

    [Theory]
    [InlineData(nameof(AppHostOptions.MariaDbServerPath), "mariadbd", "mariadb-server")]
    [InlineData(nameof(AppHostOptions.MariaDbInstallDbPath), "mariadb-install-db", "mariadb-server")]
    [InlineData(nameof(AppHostOptions.RabbitMqServerPath), "rabbitmq-server", "rabbitmq-server")]
    [InlineData(nameof(AppHostOptions.EpmdPath), "epmd", "erlang-base")]
    public async Task A_missing_program_is_named_with_its_package_before_anything_starts(string option, string program, string package)
    {
        var options = Clusters.Ephemeral();
        typeof(AppHostOptions).GetProperty(option)!.SetValue(options, "/nonexistent/" + program);
        var pids = new ConcurrentBag<int>();

        var error = await Assert.ThrowsAsync<HostingException>(() => ServersAsync(options, pids: pids));
        Assert.Contains($"'/nonexistent/{program}'", error.Message);
        Assert.Contains($"apt-get install -y {package}", error.Message);
        Assert.Empty(pids); // it failed while the model was declared
    }

    [Fact]
    public async Task A_failed_install_of_the_system_tables_is_tried_once_more_in_an_empty_directory()
    {
        using var scripts = new TempDirectory();
        var options = Clusters.Ephemeral();
        var tried = Path.Combine(scripts.Path, "tried");
        // Fails the first time after leaving a half-made directory behind, then runs the real one.
        options.MariaDbInstallDbPath = scripts.Script("mariadb-install-db", $$"""
            if [ ! -f {{tried}} ]; then
              touch {{tried}}
              for a in "$@"; do case "$a" in --datadir=*) mkdir -p "${a#--datadir=}/half-made" ;; esac; done
              echo '[ERROR] simulated failure' >&2; exit 1
            fi
            exec {{new AppHostOptions().MariaDbInstallDbPath}} "$@"
            """);

        await using var cluster = await ServersAsync(options, rabbit: false);

        Assert.True(File.Exists(tried));
        Assert.Equal(ResourceState.Running, cluster.Resource("mysql").State);
        Assert.Contains(cluster.Monitor.ConsoleLines("mysql"), l => l.Text.Contains("trying once more", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_install_that_fails_twice_is_reported_with_its_error_lines_not_its_generic_advice()
    {
        using var scripts = new TempDirectory();
        var options = Clusters.Ephemeral();
        var advice = string.Concat(Enumerable.Range(1, 30).Select(i => $"echo 'generic advice line {i}'\n"));
        options.MariaDbInstallDbPath = scripts.Script("mariadb-install-db",
            "echo '2026-12-04 0 [ERROR] InnoDB: simulated: cannot create the redo log' >&2\n" + advice + "exit 1");

        var error = await Assert.ThrowsAsync<HostingException>(() => ServersAsync(options, rabbit: false));
        Assert.Contains("mysql failed to start", error.Message);
        Assert.Contains("mariadb-install-db failed twice (exit code 1)", error.Message);
        Assert.Contains("[ERROR] InnoDB: simulated: cannot create the redo log", error.Message);
        Assert.DoesNotContain("generic advice", error.Message);
    }

    [Fact]
    public async Task A_kept_port_that_is_taken_now_is_replaced_by_a_free_one()
    {
        using var data = new TempDirectory();
        var options = new AppHostOptions { DataDirectory = data.Path };
        int kept;
        await using (var first = await ServersAsync(options, rabbit: false))
            kept = new Uri(first.Resource("mysql").Endpoints.Single()).Port;

        using var squatter = new TcpListener(IPAddress.Loopback, kept);
        squatter.Start();
        await using var second = await ServersAsync(options, rabbit: false);
        var port = new Uri(second.Resource("mysql").Endpoints.Single()).Port;
        Assert.NotEqual(kept, port);
        Assert.Equal(ResourceState.Running, second.Resource("mysql").State);
    }

    [Fact]
    public async Task A_server_that_exits_during_start_up_fails_the_start_with_its_output_and_everything_started_is_stopped()
    {
        using var scripts = new TempDirectory();
        var options = Clusters.Ephemeral();
        options.RabbitMqServerPath = scripts.Script("rabbitmq-server", "echo 'BOOT FAILED: no disk space' >&2\nsleep 0.5\nexit 1");
        var pids = new ConcurrentBag<int>();
        var late = new ConcurrentBag<ResourceSnapshot>();

        var error = await Assert.ThrowsAsync<HostingException>(() => Clusters.StartAsync(options, (builder, data) =>
        {
            builder.AddMariaDb("mysql", data);
            var messaging = builder.AddRabbitMq("messaging", data);
            builder.AddExecutable("late", "sleep", scripts.Path, "300").WaitFor(messaging);
        }, changes: r =>
        {
            if (r.ProcessId is { } pid) pids.Add(pid);
            if (r.Name == "late") late.Add(r);
        }));
        Assert.Contains("messaging exited (exit code 1)", error.Message);
        Assert.Contains("BOOT FAILED: no disk space", error.Message);
        Assert.NotEmpty(pids);
        Assert.Empty(await LiveProcesses.WaitAllGoneAsync(pids.Distinct(), TimeSpan.FromSeconds(5)));
        Assert.All(late, r => Assert.Null(r.ProcessId)); // what waited for it never ran
    }

    [Fact]
    public async Task A_server_that_never_becomes_ready_times_out_and_is_stopped()
    {
        using var scripts = new TempDirectory();
        var options = Clusters.Ephemeral();
        // Long enough for DCP to have started it on a busy machine (it took over 5 s once in CI-like runs).
        options.ReadinessTimeout = TimeSpan.FromSeconds(15);
        options.RabbitMqServerPath = scripts.Script("rabbitmq-server", "echo starting forever\nexec sleep 300");
        var pids = new ConcurrentBag<int>();

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<HostingException>(() => Clusters.StartAsync(options,
            (builder, data) => builder.AddRabbitMq("messaging", data), changes: r => { if (r.ProcessId is { } pid) pids.Add(pid); }));
        Assert.Contains("not healthy within 15 s: messaging (starting)", error.Message);
        Assert.Contains("does not answer AMQP", error.Message); // the health check says why
        Assert.Contains("starting forever", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Empty(await LiveProcesses.WaitAllGoneAsync(pids.Distinct(), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Unreachable_external_servers_fail_clearly()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var options = Clusters.Ephemeral();
        options.ReadinessTimeout = TimeSpan.FromSeconds(10);
        options.ExternalMySqlConnectionString = $"Server=127.0.0.1;Port={closedPort};User ID=someone;Password=secret";
        var kinds = new ConcurrentBag<string>();
        var error = await Assert.ThrowsAsync<HostingException>(() => Clusters.StartAsync(options,
            (builder, data) => builder.AddMariaDb("mysql", data), changes: r => kinds.Add(r.Kind)));
        Assert.Contains($"cannot log in to the external MySQL server at 127.0.0.1:{closedPort}", error.Message);
        Assert.DoesNotContain("secret", error.Message);

        options = Clusters.Ephemeral();
        options.ReadinessTimeout = TimeSpan.FromSeconds(10);
        options.ExternalRabbitMqUri = $"amqp://someone:secret@127.0.0.1:{closedPort}";
        var names = new ConcurrentBag<string>();
        error = await Assert.ThrowsAsync<HostingException>(() => Clusters.StartAsync(options,
            (builder, data) => builder.AddRabbitMq("messaging", data), changes: r => names.Add(r.Name)));
        Assert.Contains($"RabbitMQ broker at 127.0.0.1:{closedPort} does not answer AMQP", error.Message);
        Assert.DoesNotContain("secret", error.Message);
        Assert.DoesNotContain("messaging-epmd", names); // no epmd for an external broker
    }

    [Fact]
    public async Task A_service_that_is_not_built_names_the_missing_dll_and_the_build_command()
    {
        using var repo = new TempDirectory();
        var project = Path.Combine(repo.Path, "src", "DvdSim.PaymentService", "DvdSim.PaymentService.csproj");
        Directory.CreateDirectory(Path.GetDirectoryName(project)!);
        File.WriteAllText(project, "<Project />");
        var options = Clusters.Ephemeral();
        options.Configuration = "Release";

        var error = await Assert.ThrowsAsync<HostingException>(() => Clusters.StartAsync(options,
            (builder, data) => builder.AddService("payments", project, data)));
        Assert.Contains(Path.Combine(repo.Path, "src", "DvdSim.PaymentService", "bin", "Release", "net10.0", "DvdSim.PaymentService.dll"), error.Message);
        Assert.Contains("Build the solution first: dotnet build -c Release", error.Message);
    }
}
