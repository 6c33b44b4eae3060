using DvdSim.Hosting.Tests.Support;
using DvdSim.Testing;
using MySqlConnector;

namespace DvdSim.Hosting.Tests;

/// <summary>A data directory is kept between runs: the database, its files and the generated passwords.</summary>
public sealed class KeptDataDirectoryTests
{
    private static Task<Cluster> Servers(string dataDirectory, bool fresh = false, IReadOnlyCollection<string>? only = null) =>
        Clusters.StartAsync(new AppHostOptions { DataDirectory = dataDirectory, Fresh = fresh }, (builder, data) =>
        {
            builder.AddMariaDb("mysql", data);
            builder.AddRabbitMq("messaging", data);
        }, only);

    [Fact]
    public async Task Servers_start_with_generated_passwords_and_keep_data_and_passwords_for_the_next_run()
    {
        using var data = new TempDirectory();
        string firstMySql, firstRabbit;
        var firstPids = new List<int>();

        await using (var cluster = await Servers(data.Path))
        {
            firstMySql = await cluster.GetConnectionStringAsync("mysql");
            firstRabbit = await cluster.GetConnectionStringAsync("messaging");

            var settings = new MySqlConnectionStringBuilder(firstMySql);
            Assert.Equal("127.0.0.1", settings.Server);
            Assert.Equal("dvdsim", settings.UserID);
            Assert.Equal("", settings.Database); // every run picks its own database
            Assert.True(settings.AllowLoadLocalInfile);
            Assert.True(settings.AllowUserVariables);
            Assert.True(settings.Password.Length >= 20);
            Assert.StartsWith("amqp://dvdsim:", firstRabbit);

            await using (var connection = new MySqlConnection(firstMySql))
            {
                await connection.OpenAsync();
                await Execute(connection, "CREATE DATABASE kept_run; CREATE TABLE kept_run.film (film_id INT PRIMARY KEY, title VARCHAR(50)); " +
                                          "INSERT INTO kept_run.film VALUES (1, 'ACADEMY DINOSAUR')");
                // The grants allow creating databases and users: services own their run's database.
                Assert.Contains("WITH GRANT OPTION", await Scalar(connection, "SHOW GRANTS"));
            }
            var wrong = new MySqlConnectionStringBuilder(firstMySql) { Password = "not-the-password", Pooling = false };
            await Assert.ThrowsAsync<MySqlException>(async () =>
            {
                await using var refused = new MySqlConnection(wrong.ConnectionString);
                await refused.OpenAsync();
            });
            await using (var bus = await TestBus.StartAsync(firstRabbit, b => b.Observe<Ping>()))
            {
                await bus.PublishAsync(new Ping("first run"));
                Assert.Equal("first run", (await bus.WaitForAsync<Ping>()).Text);
            }

            var state = Path.Combine(data.Path, "cluster.json");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(state));
            Assert.Contains(settings.Password, await File.ReadAllTextAsync(state));
            firstPids.AddRange(cluster.Monitor.Resources().Select(r => r.ProcessId!.Value));
        }
        Assert.Empty(await LiveProcesses.WaitAllGoneAsync(firstPids, TimeSpan.FromSeconds(2)));
        Assert.True(File.Exists(Path.Combine(data.Path, "logs", "mysql.log")));

        await using (var cluster = await Servers(data.Path))
        {
            var again = await cluster.GetConnectionStringAsync("mysql");
            Assert.Equal(new MySqlConnectionStringBuilder(firstMySql).Password, new MySqlConnectionStringBuilder(again).Password);
            await using (var connection = new MySqlConnection(again))
            {
                await connection.OpenAsync();
                Assert.Equal("ACADEMY DINOSAUR", await Scalar(connection, "SELECT title FROM kept_run.film WHERE film_id = 1"));
            }
            // RabbitMQ applies its default user only on the first boot: the kept password must still work.
            var rabbit = await cluster.GetConnectionStringAsync("messaging");
            Assert.Equal(PasswordOf(firstRabbit), PasswordOf(rabbit));
            await using var bus = await TestBus.StartAsync(rabbit, b => b.Observe<Ping>());
            await bus.PublishAsync(new Ping("second run"));
            Assert.Equal("second run", (await bus.WaitForAsync<Ping>()).Text);
            // The first run's console output was kept beside this run's (MariaDB says it is ready on its port).
            Assert.Contains(File.ReadLines(Path.Combine(data.Path, "logs", "mysql.log.1")), l => l.Contains("ready for connections"));
        }

        await using (var cluster = await Servers(data.Path, fresh: true, only: ["mysql"]))
        {
            var wiped = await cluster.GetConnectionStringAsync("mysql");
            Assert.NotEqual(new MySqlConnectionStringBuilder(firstMySql).Password, new MySqlConnectionStringBuilder(wiped).Password);
            await using var connection = new MySqlConnection(wiped);
            await connection.OpenAsync();
            Assert.Equal(0L, Convert.ToInt64(await Scalar(connection, "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'kept_run'")));
            Assert.DoesNotContain(cluster.Monitor.Resources(), r => r.Name.StartsWith("messaging", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_second_AppHost_on_the_same_data_directory_is_refused()
    {
        using var data = new TempDirectory();
        await using var running = await Clusters.StartAsync(new AppHostOptions { DataDirectory = data.Path },
            (builder, _) => builder.AddExecutable("sleeper", "sleep", data.Path, "300"));

        var error = await Assert.ThrowsAsync<HostingException>(() => ClusterData.OpenAsync(new AppHostOptions { DataDirectory = data.Path }));
        Assert.Contains("in use by another DvdSim AppHost", error.Message);
        Assert.Contains(Environment.ProcessId.ToString(), error.Message);
        Assert.Equal(ResourceState.Running, running.Resource("sleeper").State);
    }

    private static string PasswordOf(string amqpUri) => new Uri(amqpUri).UserInfo.Split(':')[1];

    private static async Task Execute(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> Scalar(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync())!;
    }
}
