using System.Net.Sockets;
using DvdSim.Hosting.Tests.Support;
using DvdSim.Testing;
using MySqlConnector;

namespace DvdSim.Hosting.Tests;

/// <summary>The shared test servers (DvdSim.Testing): real MariaDB and RabbitMQ, and the test bus.</summary>
[Collection(TestServers.Collection)]
public sealed class TestServersTests(TestServers servers)
{
    [Fact]
    public async Task RabbitMq_answers_the_AMQP_protocol_header_with_a_method_frame()
    {
        var port = new Uri(servers.RabbitMqUri).Port;
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync("AMQP\0\0\x09\x01"u8.ToArray());
        var frame = new byte[7];
        await stream.ReadExactlyAsync(frame);
        Assert.Equal(1, frame[0]); // frame type 1 = method (Connection.Start)
        Assert.Equal(0, frame[1] << 8 | frame[2]); // on channel 0
    }

    [Fact]
    public async Task MariaDb_runs_with_the_bulk_settings_and_a_buffer_pool_sized_to_the_machine()
    {
        await using var db = await servers.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            "SELECT @@innodb_buffer_pool_size, @@innodb_flush_log_at_trx_commit, @@local_infile, @@bind_address", db);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var expected = MariaDbServerResource.BufferPoolMegabytes(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes) * 1024 * 1024;
        Assert.Equal(expected, reader.GetInt64(0));
        Assert.Equal(2, reader.GetInt32(1));
        Assert.True(reader.GetBoolean(2));
        Assert.Equal("127.0.0.1", reader.GetString(3));
    }

    [Theory]
    [InlineData(2L, 1024)]   // small machines keep the old 1 GiB
    [InlineData(24L, 6144)]  // this project's machines: a quarter
    [InlineData(128L, 8192)] // capped
    public void The_buffer_pool_is_a_quarter_of_memory_between_1_and_8_GiB(long gib, long megabytes) =>
        Assert.Equal(megabytes, MariaDbServerResource.BufferPoolMegabytes(gib * 1024 * 1024 * 1024));

    [Fact]
    public void RabbitMq_uses_a_private_epmd_instead_of_the_system_one_on_4369()
    {
        var epmd = servers.Monitor.Resources().Single(r => r.Kind == "epmd");
        var port = new Uri(epmd.Endpoints.Single()).Port;
        Assert.NotEqual(4369, port);
        Assert.Equal("epmd", LiveProcesses.Name(epmd.ProcessId!.Value));
        Assert.Contains($"-port {port} -address 127.0.0.1", LiveProcesses.CommandLine(epmd.ProcessId.Value));
    }

    [Fact]
    public async Task Test_bus_publishes_and_awaits_messages_by_predicate_and_times_out_clearly()
    {
        await using var bus = await servers.StartBusAsync(b => b.Observe<Ping>());
        await bus.PublishAsync(new Ping("one"));
        await bus.PublishAsync(new Ping("two"));
        Assert.Equal("two", (await bus.WaitForAsync<Ping>(p => p.Text == "two")).Text);
        Assert.Equal("one", (await bus.WaitForAsync<Ping>(p => p.Text == "one")).Text); // arrived before we asked
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => bus.WaitForAsync<Ping>(p => p.Text == "three", TimeSpan.FromMilliseconds(500)));
        Assert.Contains("2 Ping received", timeout.Message);
        Assert.Throws<InvalidOperationException>(() => bus.Received<string>());
    }

    [Fact]
    public async Task Each_test_gets_its_own_database_name_and_can_create_it()
    {
        var name = TestServers.CreateDatabaseName();
        Assert.Matches("^t_[0-9a-f]{8}$", name);
        Assert.NotEqual(name, TestServers.CreateDatabaseName());
        await using (var connection = await servers.OpenConnectionAsync())
        {
            await using var create = new MySqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        await using var inDatabase = await servers.OpenConnectionAsync(name);
        Assert.Equal(name, inDatabase.Database);
        await using var drop = new MySqlCommand($"DROP DATABASE {name}", inDatabase);
        await drop.ExecuteNonQueryAsync();
    }
}
