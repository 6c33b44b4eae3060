namespace DvdSim.Hosting;

/// <summary>A declared resource, to be referenced, waited for and configured (Aspire's IResourceBuilder).</summary>
public interface IResourceBuilder<out T> where T : IResource
{
    T Resource { get; }
    AppHostBuilder Builder { get; }
}

internal sealed class ResourceBuilder<T>(T resource, AppHostBuilder builder) : IResourceBuilder<T> where T : IResource
{
    public T Resource { get; } = resource;
    public AppHostBuilder Builder { get; } = builder;
}

public static class ResourceBuilderExtensions
{
    /// <summary>Gives the resource <c>ConnectionStrings__&lt;source&gt;</c>.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithConnectionString> source)
        where T : ServiceResource
    {
        builder.Resource.AddReference(source.Resource);
        return builder;
    }

    /// <summary>Gives the resource <c>services__&lt;service&gt;__http__0</c> = the service's URL.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithHttpEndpoint> service)
        where T : ServiceResource
    {
        builder.Resource.AddReference(service.Resource);
        return builder;
    }

    /// <summary>Starts the resource only once <paramref name="dependency"/> is ready (Running).</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency)
        where T : Resource
    {
        if (dependency.Resource is not Resource other || ReferenceEquals(other, builder.Resource))
            throw new ArgumentException($"{builder.Resource.Name} cannot wait for {dependency.Resource.Name}");
        if (!builder.Resource.WaitsFor.Contains(other)) builder.Resource.WaitsFor.Add(other);
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string key, string value)
        where T : ServiceResource
    {
        builder.Resource.SetEnvironment(key, value);
        return builder;
    }

    /// <summary>Consecutive restarts after crashes before the resource is marked Failed (default: <see cref="AppHostOptions.MaxRestarts"/>).</summary>
    public static IResourceBuilder<T> WithMaxRestarts<T>(this IResourceBuilder<T> builder, int maxRestarts)
        where T : ServiceResource
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRestarts);
        builder.Resource.MaxRestarts = maxRestarts;
        return builder;
    }

    public static IResourceBuilder<T> WithWorkingDirectory<T>(this IResourceBuilder<T> builder, string directory)
        where T : ServiceResource
    {
        builder.Resource.WorkingDirectory = Path.GetFullPath(directory);
        return builder;
    }
}
