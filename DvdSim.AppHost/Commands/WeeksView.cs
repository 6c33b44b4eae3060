using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DvdSim.Dashboard;
using DvdSim.Hosting;

namespace DvdSim.AppHost.Commands;

/// <summary>
/// The one page the Aspire dashboard lacks: every simulated week as a bar split by stage, a click
/// away from its trace. DvdSim's dashboard serves it in the AppHost's process, behind its own login
/// token, beside the Aspire dashboard (which holds the traces it links to and links back to it from
/// the coordinator's URLs).
/// </summary>
internal sealed class WeeksView(DashboardServer server) : IAsyncDisposable
{
    /// <summary>Next to the Aspire dashboard's 18888 (UI) and 18890 (OTLP/HTTP); a free port when taken.</summary>
    public const int Port = 18889;

    public Uri LoginUrl => server.LoginUrl;

    public static async Task<WeeksView> StartAsync(Uri aspireDashboardLogin, IResourceMonitor monitor, CancellationToken cancellationToken)
    {
        var aspire = new Uri(aspireDashboardLogin.GetLeftPart(UriPartial.Authority));
        var server = await DashboardServer.StartAsync(
            new DashboardOptions { FrontendPort = Port, OtlpPort = 0, AspireDashboard = aspire }, monitor,
            () => monitor.Resources().FirstOrDefault(r => r.Name == RunningCluster.Coordinator)?.Endpoints.FirstOrDefault() is { } url ? new Uri(url) : null,
            cancellationToken);
        return new WeeksView(server);
    }

    /// <summary>The coordinator's resource in the Aspire dashboard links to the weeks view (with its token).</summary>
    public static void LinkFromAspire(IDistributedApplicationBuilder builder, Func<WeeksView?> weeks)
    {
        if (builder.Resources.FirstOrDefault(r => r.Name == RunningCluster.Coordinator) is not IResourceWithEndpoints coordinator) return;
        builder.CreateResourceBuilder(coordinator).WithUrls(context =>
        {
            if (weeks() is { } view) context.Urls.Add(new ResourceUrlAnnotation { Url = view.LoginUrl.ToString(), DisplayText = "Weeks (DvdSim)" });
        });
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
