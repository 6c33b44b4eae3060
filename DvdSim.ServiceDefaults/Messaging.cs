using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

public static class MessagingExtensions
{
    /// <summary>How long a service waits for its broker at start-up, then for its bus to start.</summary>
    public static readonly TimeSpan BusStartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The MassTransit bus on RabbitMQ from ConnectionStrings__messaging (amqp://user:pass@host:port).
    /// Queue names are the kebab-case consumer names, shared by replicas of a service.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? configureBus,
        Action<IRabbitMqBusFactoryConfigurator, IBusRegistrationContext>? configureRabbit)
    {
        var uri = builder.Configuration.GetConnectionString(ServiceDefaultsExtensions.MessagingConnectionName);
        if (string.IsNullOrWhiteSpace(uri))
            throw new InvalidOperationException(
                $"ConnectionStrings__{ServiceDefaultsExtensions.MessagingConnectionName} is not set: the service needs a RabbitMQ URI (amqp://user:pass@host:port).");

        var amqp = new Uri(uri);
        var credentials = Uri.UnescapeDataString(amqp.UserInfo).Split(':', 2);
        var port = amqp.IsDefaultPort || amqp.Port <= 0 ? 5672 : amqp.Port;

        // Before AddMassTransit: hosted services start in the order they were added.
        builder.Services.AddHostedService(services =>
            new BrokerWait(amqp.Host, port, BusStartTimeout, services.GetRequiredService<ILogger<BrokerWait>>()));

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            configureBus?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(amqp.Host, (ushort)port, "/", h =>
                {
                    h.Username(credentials[0]);
                    h.Password(credentials.Length > 1 ? credentials[1] : "");
                });
                configureRabbit?.Invoke(rabbit, context);
                rabbit.ConfigureEndpoints(context);
            });
        });

        // Without this, messages published right after start-up are lost while queues bind.
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = BusStartTimeout;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return builder;
    }
}
