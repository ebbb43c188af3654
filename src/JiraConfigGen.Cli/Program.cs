using System;
using System.Linq;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Threading.Tasks;
using JiraConfigGen.Cli.Commands;
using JiraConfigGen.Cli.Inputs;

namespace JiraConfigGen.Cli;

/// <summary>
/// <c>jira-connections</c>: validate, list, check and guard. Exit codes: 0 nothing wrong, 1 a problem found
/// (an error in a file, a connection that fails, a tripped account), 2 the command could not run (usage,
/// a path that does not exist, a file or a server that cannot be read), with one line on stderr.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Checks, lists and signs in with the Jira connections of jira-connections.json files, with the JiraConfigGen generator's rules.")
        {
            ValidateCommand.Create(),
            ListCommand.Create(),
            CheckCommand.Create(),
            GuardCommand.Create(),
        };

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line, as for every other reason a command cannot run.
            string errors = string.Join("; ", parsed.Errors.Select(e => string.Join(' ', e.Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));
            await Console.Error.WriteLineAsync($"jira-connections: {errors} (see '{Usage(parsed)} --help')").ConfigureAwait(false);
            return CommandException.ExitCode;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (CommandException e)
        {
            await Console.Error.WriteLineAsync("jira-connections: " + e.Message).ConfigureAwait(false);
            return CommandException.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("jira-connections: cancelled").ConfigureAwait(false);
            return CommandException.ExitCode;
        }
    }

    /// <summary><c>jira-connections guard status</c>: the command that was parsed, for the hint.</summary>
    private static string Usage(ParseResult parsed)
    {
        var names = new System.Collections.Generic.List<string>();
        for (SymbolResult? result = parsed.CommandResult; result is CommandResult command && command.Parent is not null; result = command.Parent)
        {
            names.Insert(0, command.Command.Name);
        }

        return string.Join(' ', names.Prepend("jira-connections"));
    }
}
