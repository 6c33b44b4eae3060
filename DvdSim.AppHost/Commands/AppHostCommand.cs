namespace DvdSim.AppHost.Commands;

/// <summary>An option of a command: a flag ("--quiet") when <see cref="ValueName"/> is null, else "--weeks N".</summary>
internal sealed record CommandOption(string Name, string? ValueName, string Description);

/// <summary>
/// One verb of the AppHost command line. To add a command: a class deriving from this one,
/// in its own file here, plus its line in <see cref="CommandLine.Commands"/>.
/// </summary>
internal abstract class AppHostCommand
{
    public abstract string Name { get; }
    public abstract string Summary { get; }
    public virtual IReadOnlyList<CommandOption> Options => [];
    /// <summary>How positional arguments are shown in the help ("SCENARIO"), or null when the command takes none.</summary>
    public virtual string? Arguments => null;

    /// <summary>Returns the process exit code. Throw <see cref="UsageException"/> for a bad command line (exit code 2).</summary>
    public abstract Task<int> RunAsync(CommandContext context);
}

/// <summary>A wrong command line: reported with a hint to --help, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
