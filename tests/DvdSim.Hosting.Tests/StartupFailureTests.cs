using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DvdSim.Hosting.Tests.Support;

namespace DvdSim.Hosting.Tests;

/// <summary>Start-up errors are clear, never hang, and leave no process behind.</summary>
public sealed class StartupFailureTests
{
    private static AppHostOptions Ephemeral() => new() { Ephemeral = true, HandleShutdownSignals = false };

    [Theory]
    [InlineData(nameof(AppHostOptions.MariaDbServerPath), "mariadbd", "mariadb-server")]
    [InlineData(nameof(AppHostOptions.MariaDbInstallDbPath), "mariadb-install-db", "mariadb-server")]
    [InlineData(nameof(AppHostOptions.RabbitMqServerPath), "rabbitmq-server", "rabbitmq-server")]
    [InlineData(nameof(AppHostOptions.EpmdPath), "epmd", "erlang-base")]
    public async Task A_missing_program_is_named_with_its_package_before_anything_starts(string option, string program, string package)
    {
        var options = Ephemeral();
        typeof(AppHostOptions).GetProperty(option)!.SetValue(options, "/nonexistent/" + program);
        var builder = AppHost.CreateBuilder(options);
        builder.AddMariaDb("mysql");
        builder.AddRabbitMq("messaging");
        await using var cluster = builder.Build();

        var error = await Assert.ThrowsAsync<HostingException>(() => cluster.StartAsync());
        Assert.Contains($"'/nonexistent/{program}'", error.Message);
        Assert.Contains($"apt-get install -y {package}", error.Message);
        Assert.All(cluster.Monitor.Resources(), r => Assert.Null(r.ProcessId));
        Assert.All(cluster.Monitor.Resources(), r => Assert.Equal(ResourceState.NotStarted, r.State));
        Assert.False(Directory.Exists(cluster.DataDirectory)); // ephemeral: removed again
    }

    [Fact]
    public async Task A_failed_install_of_the_system_tables_is_tried_once_more_in_an_empty_directory()
    {
        using var scripts = new TempDirectory();
        var options = Ephemeral();
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
        var builder = AppHost.CreateBuilder(options);
        builder.AddMariaDb("mysql");
        await using var cluster = builder.Build();

        await cluster.StartAsync();

        Assert.True(File.Exists(tried));
        Assert.Equal(ResourceState.Running, cluster.Monitor.Resources().Single(r => r.Name == "mysql").State);
        Assert.Contains(cluster.Monitor.ConsoleLines("mysql"), l => l.Text.Contains("trying once more", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_install_that_fails_twice_is_reported_with_its_error_lines_not_its_generic_advice()
    {
        using var scripts = new TempDirectory();
        var options = Ephemeral();
        var advice = string.Concat(Enumerable.Range(1, 30).Select(i => $"echo 'generic advice line {i}'\n"));
        options.MariaDbInstallDbPath = scripts.Script("mariadb-install-db",
            "echo '2026-12-04 0 [ERROR] InnoDB: simulated: cannot create the redo log' >&2\n" + advice + "exit 1");
        var builder = AppHost.CreateBuilder(options);
        builder.AddMariaDb("mysql");
        await using var cluster = builder.Build();

        var error = await Assert.ThrowsAsync<HostingException>(() => cluster.StartAsync());
        Assert.Contains("mysql: mariadb-install-db failed twice (exit code 1)", error.Message);
        Assert.Contains("[ERROR] InnoDB: simulated: cannot create the redo log", error.Message);
        Assert.DoesNotContain("generic advice", error.Message);
    }

    [Fact]
    public async Task A_taken_port_is_named()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        foreach (var declare in new Action<AppHostBuilder>[] { b => b.AddMariaDb("mysql", port), b => b.AddRabbitMq("messaging", port) })
        {
            var builder = AppHost.CreateBuilder(Ephemeral());
            declare(builder);
            await using var cluster = builder.Build();
            var error = await Assert.ThrowsAsync<HostingException>(() => cluster.StartAsync());
            Assert.Contains($"port {port} on 127.0.0.1 is already in use", error.Message);
        }
    }

    [Fact]
    public async Task A_server_that_exits_during_start_up_fails_the_start_with_its_output_and_everything_started_is_stopped()
    {
        using var scripts = new TempDirectory();
        var options = Ephemeral();
        options.RabbitMqServerPath = scripts.Script("rabbitmq-server", "echo 'BOOT FAILED: no disk space' >&2\nexit 1");
        var builder = AppHost.CreateBuilder(options);
        builder.AddMariaDb("mysql");
        var messaging = builder.AddRabbitMq("messaging");
        builder.AddExecutable("late", "sleep", "300").WaitFor(messaging);
        await using var cluster = builder.Build();
        var pids = new ConcurrentBag<int>();
        cluster.Monitor.ResourceChanged += r => { if (r.ProcessId is { } pid) pids.Add(pid); };

        var error = await Assert.ThrowsAsync<HostingException>(() => cluster.StartAsync());
        Assert.Contains("messaging exited during start-up (exit code 1)", error.Message);
        Assert.Contains("BOOT FAILED: no disk space", error.Message);
        Assert.DoesNotContain("mysql", error.Message); // only the cause, not what was stopped because of it
        Assert.NotEmpty(pids);
        Assert.Empty(await LiveProcesses.WaitAllGoneAsync(pids.Distinct(), TimeSpan.FromSeconds(2)));
        Assert.Equal(ResourceState.Failed, cluster.Monitor.Resources().Single(r => r.Name == "messaging").State);
        Assert.Null(cluster.Monitor.Resources().Single(r => r.Name == "late").ProcessId);
    }

    [Fact]
    public async Task A_server_that_never_becomes_ready_times_out_and_is_killed()
    {
        using var scripts = new TempDirectory();
        var options = Ephemeral();
        options.ReadinessTimeout = TimeSpan.FromSeconds(2);
        options.RabbitMqServerPath = scripts.Script("rabbitmq-server", "echo starting forever\nexec sleep 300");
        var builder = AppHost.CreateBuilder(options);
        builder.AddRabbitMq("messaging");
        await using var cluster = builder.Build();
        var pids = new ConcurrentBag<int>();
        cluster.Monitor.ResourceChanged += r => { if (r.ProcessId is { } pid) pids.Add(pid); };

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<HostingException>(() => cluster.StartAsync());
        Assert.Contains("messaging was not ready within 2 s", error.Message);
        Assert.Contains("starting forever", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Empty(await LiveProcesses.WaitAllGoneAsync(pids.Distinct(), TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task Unreachable_external_servers_fail_clearly()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var options = Ephemeral();
        options.ReadinessTimeout = TimeSpan.FromSeconds(2);
        options.ExternalMySqlConnectionString = $"Server=127.0.0.1;Port={closedPort};User ID=someone;Password=secret";
        var builder = AppHost.CreateBuilder(options);
        builder.AddMariaDb("mysql");
        await using (var cluster = builder.Build())
        {
            var error = await Assert.ThrowsAsync<HostingException>(() => cluster.StartAsync());
            Assert.Contains($"cannot log in to the external MySQL server at 127.0.0.1:{closedPort}", error.Message);
            Assert.Equal("external", cluster.Monitor.Resources().Single().Kind);
        }

        options = Ephemeral();
        options.ReadinessTimeout = TimeSpan.FromSeconds(2);
        options.ExternalRabbitMqUri = $"amqp://someone:secret@127.0.0.1:{closedPort}";
        builder = AppHost.CreateBuilder(options);
        builder.AddRabbitMq("messaging");
        await using (var cluster = builder.Build())
        {
            var error = await Assert.ThrowsAsync<HostingException>(() => cluster.StartAsync());
            Assert.Contains($"RabbitMQ broker at 127.0.0.1:{closedPort} does not answer AMQP", error.Message);
            Assert.Single(cluster.Monitor.Resources()); // no epmd for an external broker
        }
    }

    [Fact]
    public async Task A_project_that_is_not_built_names_the_missing_dll_and_the_build_command()
    {
        using var repo = new TempDirectory();
        File.WriteAllText(Path.Combine(repo.Path, "DvdSim.sln"), "");
        Directory.CreateDirectory(Path.Combine(repo.Path, "src", "DvdSim.PaymentService"));
        var options = Ephemeral();
        options.RepoRoot = repo.Path;
        options.Configuration = "Release";
        var builder = AppHost.CreateBuilder(options);
        builder.AddProject("payments", "DvdSim.PaymentService");
        await using var cluster = builder.Build();

        var error = await Assert.ThrowsAsync<HostingException>(() => cluster.StartAsync());
        Assert.Contains(Path.Combine(repo.Path, "src", "DvdSim.PaymentService", "bin", "Release", "net10.0", "DvdSim.PaymentService.dll"), error.Message);
        Assert.Contains("build the solution first: dotnet build", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
