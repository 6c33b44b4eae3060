using Aspire.Hosting;
using DvdSim.Hosting;

namespace DvdSim.AppHost.Commands;

/// <summary>
/// The AppHost's command line: <c>[command] [options]</c>, the command first (default: up).
/// Hosting options (--data-dir, --fresh, …) and --show-secrets work with every command.
/// </summary>
internal static class CommandLine
{
    // One line per command.
    private static readonly AppHostCommand[] Commands =
    [
        new UpCommand(),
        new SimulateCommand(),
        new ExtendCommand(),
        new ChecksumCommand(),
        new BenchCommand(),
    ];

    private static readonly CommandOption[] CommonOptions =
    [
        .. AppHostOptions.CommandLineOptions.Select(o => ToCommandOption(o.Option, o.Description)),
        new("--show-secrets", null, "print passwords in connection strings instead of ********"),
        new("--help", null, "show this help"),
    ];

    public static async Task<int> RunAsync(string[] args, Action<IDistributedApplicationBuilder, ClusterData> declareCluster)
    {
        CommandContext context;
        AppHostCommand command;
        try
        {
            (command, context, var help) = Parse(args, declareCluster);
            if (help)
            {
                PrintHelp(Console.Out);
                return 0;
            }
        }
        catch (UsageException e)
        {
            return Usage(e.Message);
        }

        try
        {
            return await command.RunAsync(context);
        }
        catch (UsageException e)
        {
            return Usage(e.Message);
        }
        catch (HostingException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (CoordinatorException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"error: the coordinator cannot be reached: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Interrupted; everything that was started has been stopped.");
            return 130;
        }
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Console.Error.WriteLine("Run with --help to see the commands and options.");
        return 2;
    }

    private static (AppHostCommand Command, CommandContext Context, bool Help) Parse(
        string[] args, Action<IDistributedApplicationBuilder, ClusterData> declareCluster)
    {
        var position = 0;
        var command = Commands[0];
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            command = Commands.FirstOrDefault(c => c.Name == args[0])
                ?? throw new UsageException($"unknown command '{args[0]}' (commands: {string.Join(", ", Commands.Select(c => c.Name))})");
            position = 1;
        }

        var hosting = new AppHostOptions();
        var values = new Dictionary<string, string>();
        var repeated = new Dictionary<string, List<string>>();
        var arguments = new List<string>();
        var showSecrets = false;
        var help = false;
        for (; position < args.Length; position++)
        {
            var token = args[position];
            if (!token.StartsWith('-'))
            {
                if (command.Arguments is null) throw new UsageException($"'{command.Name}' takes no argument '{token}'");
                arguments.Add(token);
                continue;
            }
            // --name=value is the same as --name value
            var equals = token.IndexOf('=');
            var name = equals > 0 ? token[..equals] : token;
            string? inline = equals > 0 ? token[(equals + 1)..] : null;
            var tookValue = false;
            string NextValue()
            {
                tookValue = true;
                if (inline is not null) return inline;
                if (position + 1 >= args.Length) throw new UsageException($"option {name} needs a value");
                return args[++position];
            }

            if (name is "--help" or "-h") help = true;
            else if (name == "--show-secrets") showSecrets = true;
            else if (command.Options.FirstOrDefault(o => o.Name == name) is { } option)
            {
                values[name] = option.ValueName is null ? "true" : NextValue();
                if (!repeated.TryGetValue(name, out var all)) repeated[name] = all = [];
                all.Add(values[name]);
            }
            else if (!hosting.TryParseOption(name, NextValue))
                throw new UsageException($"unknown option {name}");
            if (inline is not null && !tookValue) throw new UsageException($"option {name} takes no value");
        }
        if (hosting.Ephemeral && hosting.DataDirectory is not null)
            throw new UsageException("--ephemeral and --data-dir exclude each other");

        return (command, new CommandContext(hosting, showSecrets, values,
            repeated.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value), arguments, declareCluster), help);
    }

    private static void PrintHelp(TextWriter output)
    {
        output.WriteLine("DvdSim AppHost: runs MariaDB, RabbitMQ and the DvdSim services under Aspire, with the Aspire dashboard.");
        output.WriteLine();
        output.WriteLine("usage: dotnet run --project DvdSim.AppHost -c Release -- [command] [options]");
        output.WriteLine();
        output.WriteLine("commands:");
        foreach (var command in Commands)
        {
            output.WriteLine($"  {command.Name + (command.Arguments is null ? "" : " " + command.Arguments),-22} {command.Summary}");
            foreach (var option in command.Options) WriteOption(output, option, "    ");
        }
        output.WriteLine();
        output.WriteLine("options of every command:");
        foreach (var option in CommonOptions) WriteOption(output, option, "  ");
    }

    private static void WriteOption(TextWriter output, CommandOption option, string indent) =>
        output.WriteLine($"{indent}{(option.Name + (option.ValueName is null ? "" : " " + option.ValueName)).PadRight(28 - indent.Length + 2)} {option.Description}");

    private static CommandOption ToCommandOption(string usage, string description)
    {
        var space = usage.IndexOf(' ');
        return space < 0 ? new CommandOption(usage, null, description) : new CommandOption(usage[..space], usage[(space + 1)..], description);
    }
}
