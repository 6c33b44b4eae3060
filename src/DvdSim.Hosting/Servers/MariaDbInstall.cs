using System.Diagnostics;
using Microsoft.Extensions.Logging;
using DvdSim.Hosting.Processes;

namespace DvdSim.Hosting;

/// <summary>mariadb-install-db: the system tables of a new data directory, made before the server's first start.</summary>
internal static class MariaDbInstall
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Tried twice: it failed once in some hundreds of CI starts (exit code 1, cause not seen), and
    /// a second try in an empty directory costs about a second.
    /// </summary>
    public static async Task RunAsync(string installDb, string data, string workingDirectory, string ownerTag, ILogger log, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true); // a half-initialised earlier attempt
            log.LogInformation("[dvdsim] creating a new database directory {Data}", data);
            var (exitCode, output) = await RunOnceAsync(installDb, data, workingDirectory, ownerTag, cancellationToken);
            if (exitCode == 0) return;
            if (attempt == 2)
                throw new HostingException($"mariadb-install-db failed twice (exit code {exitCode}).{Environment.NewLine}{Errors(output)}");
            log.LogWarning("[dvdsim] mariadb-install-db failed (exit code {ExitCode}); trying once more in an empty directory", exitCode);
        }
    }

    private static async Task<(int ExitCode, List<string> Output)> RunOnceAsync(
        string installDb, string data, string workingDirectory, string ownerTag, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(installDb)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--no-defaults");
        if (Environment.UserName == "root") info.ArgumentList.Add("--user=root");
        foreach (var arg in new[] { $"--datadir={data}", "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve" })
            info.ArgumentList.Add(arg);
        info.Environment[ProcessTree.OwnerVariable] = ownerTag;

        using var process = Process.Start(info) ?? throw new HostingException($"cannot start {installDb}");
        var output = new List<string>();
        var stdout = Collect(process.StandardOutput, output);
        var stderr = Collect(process.StandardError, output);
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(Timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new HostingException($"mariadb-install-db did not finish within {Timeout.TotalSeconds:0} s.");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await Task.WhenAll(stdout, stderr);
        return (process.ExitCode, output);
    }

    private static async Task Collect(StreamReader reader, List<string> lines)
    {
        while (await reader.ReadLineAsync() is { } line)
            lock (lines) lines.Add(line);
    }

    /// <summary>
    /// The server's error lines: mariadb-install-db ends a failure with some 25 lines of generic
    /// advice, which a plain tail would show instead of the cause.
    /// </summary>
    private static string Errors(List<string> output)
    {
        var errors = output.Where(l => l.Contains("ERROR", StringComparison.Ordinal)).TakeLast(10).ToList();
        return errors.Count > 0
            ? "Its errors:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(l => "    " + l))
            : "Last lines:" + Environment.NewLine + string.Join(Environment.NewLine, output.TakeLast(40).Select(l => "    " + l));
    }
}

/// <summary>Files holding secrets (init.sql, rabbitmq.conf) are readable by their owner only.</summary>
internal static class OwnerOnlyFile
{
    public static async Task WriteAsync(string path, string text, CancellationToken cancellationToken)
    {
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = ownerOnly };
        await using (var stream = new FileStream(path, options))
        await using (var writer = new StreamWriter(stream))
            await writer.WriteAsync(text.AsMemory(), cancellationToken);
        File.SetUnixFileMode(path, ownerOnly); // an existing file keeps its old mode
    }
}
