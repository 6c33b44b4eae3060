using System.Collections.Concurrent;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DvdSim.Testing;

/// <summary>Which message types a <see cref="TestBus"/> receives. Its queue is bound to their exchanges before it starts.</summary>
public sealed class TestBusOptions
{
    internal List<Type> Observed { get; } = [];

    public TestBusOptions Observe<T>() where T : class
    {
        if (!Observed.Contains(typeof(T))) Observed.Add(typeof(T));
        return this;
    }
}

/// <summary>
/// A MassTransit bus (RabbitMQ transport) for tests: publish messages to the services under test
/// and await the messages they publish. Received messages are kept, so one that arrived before
/// the test started waiting is still found.
/// </summary>
public sealed class TestBus : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly Inboxes _inboxes;

    private TestBus(IHost host, Inboxes inboxes)
    {
        _host = host;
        _inboxes = inboxes;
    }

    public IBus Bus => _host.Services.GetRequiredService<IBus>();

    /// <summary>A bus on the broker at <paramref name="rabbitMqUri"/> (amqp://user:pass@host:port); <see cref="TestServers.StartBusAsync"/> does this for the test servers.</summary>
    public static Task<TestBus> StartAsync(string rabbitMqUri, Action<TestBusOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var options = new TestBusOptions();
        configure?.Invoke(options);
        return StartAsync(rabbitMqUri, options, cancellationToken);
    }

    internal static async Task<TestBus> StartAsync(string rabbitMqUri, TestBusOptions options, CancellationToken cancellationToken)
    {
        var uri = new Uri(rabbitMqUri);
        var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        var inboxes = new Inboxes(options.Observed);
        var queue = $"dvdsim-test-{Guid.NewGuid():N}";

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(inboxes);
        // MassTransit keeps the logger factory of the first bus in a static log context; a real
        // factory is disposed with its host and breaks the next bus in the same test process.
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(NullLoggerFactory.Instance));
        builder.Services.AddMassTransit(bus =>
        {
            foreach (var type in options.Observed) bus.AddConsumer(typeof(InboxConsumer<>).MakeGenericType(type));
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(uri.Host, (ushort)uri.Port, "/", host =>
                {
                    host.Username(credentials[0]);
                    host.Password(credentials.Length > 1 ? credentials[1] : "");
                });
                if (options.Observed.Count == 0) return;
                rabbit.ReceiveEndpoint(queue, endpoint =>
                {
                    // The queue lives as long as this bus.
                    endpoint.AutoDelete = true;
                    endpoint.Durable = false;
                    foreach (var type in options.Observed)
                        endpoint.ConfigureConsumer(context, typeof(InboxConsumer<>).MakeGenericType(type));
                });
            });
        });
        // Without WaitUntilStarted, messages published right after start were lost: queues were not bound yet.
        builder.Services.Configure<MassTransitHostOptions>(host =>
        {
            host.WaitUntilStarted = true;
            host.StartTimeout = TimeSpan.FromSeconds(30);
            host.StopTimeout = TimeSpan.FromSeconds(10);
        });
        var app = builder.Build();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            app.Dispose();
            throw;
        }
        return new TestBus(app, inboxes);
    }

    public Task PublishAsync<T>(T message, CancellationToken cancellationToken = default) where T : class =>
        Bus.Publish(message, cancellationToken);

    /// <summary>
    /// The first received <typeparamref name="T"/> matching <paramref name="predicate"/>, including ones
    /// received before the call. Throws <see cref="TimeoutException"/> after <paramref name="timeout"/> (default 30 s).
    /// </summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where T : class
    {
        var inbox = _inboxes.For<T>();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            return await inbox.FirstAsync(predicate ?? (_ => true), deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"no matching {typeof(T).Name} within {limit.TotalSeconds:0.#} s ({inbox.Count} {typeof(T).Name} received in all)");
        }
    }

    /// <summary>Every <typeparamref name="T"/> received so far.</summary>
    public IReadOnlyList<T> Received<T>() where T : class => _inboxes.For<T>().Snapshot();

    /// <summary>The received <typeparamref name="T"/> as a stream, each message once, in arrival order.</summary>
    public ChannelReader<T> Reader<T>() where T : class => _inboxes.For<T>().Reader;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return; // the test and TestServers may both dispose it
        try { await _host.StopAsync(); }
        finally { _host.Dispose(); }
    }

    private int _disposed;

    internal sealed class Inboxes(IReadOnlyList<Type> observed)
    {
        private readonly ConcurrentDictionary<Type, object> _byType = new();

        public MessageInbox<T> For<T>() where T : class =>
            observed.Contains(typeof(T))
                ? (MessageInbox<T>)_byType.GetOrAdd(typeof(T), _ => new MessageInbox<T>())
                : throw new InvalidOperationException(
                    $"this TestBus does not receive {typeof(T).Name}: start it with StartBusAsync(bus => bus.Observe<{typeof(T).Name}>())");
    }
}

/// <summary>Collects the messages of one type: a list for lookups, a channel for streaming.</summary>
internal sealed class MessageInbox<T> where T : class
{
    private readonly List<T> _all = [];
    private readonly Channel<T> _channel = Channel.CreateUnbounded<T>();
    private readonly Lock _lock = new();
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChannelReader<T> Reader => _channel.Reader;

    public int Count
    {
        get { lock (_lock) return _all.Count; }
    }

    public void Add(T message)
    {
        TaskCompletionSource arrived;
        lock (_lock)
        {
            _all.Add(message);
            arrived = _arrived;
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        _channel.Writer.TryWrite(message);
        arrived.TrySetResult();
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_lock) return _all.ToList();
    }

    public async Task<T> FirstAsync(Func<T, bool> predicate, CancellationToken cancellationToken)
    {
        var checkedCount = 0;
        while (true)
        {
            Task arrived;
            lock (_lock)
            {
                for (; checkedCount < _all.Count; checkedCount++)
                    if (predicate(_all[checkedCount])) return _all[checkedCount];
                arrived = _arrived.Task;
            }
            await arrived.WaitAsync(cancellationToken);
        }
    }
}

internal sealed class InboxConsumer<T>(TestBus.Inboxes inboxes) : IConsumer<T> where T : class
{
    public Task Consume(ConsumeContext<T> context)
    {
        inboxes.For<T>().Add(context.Message);
        return Task.CompletedTask;
    }
}
