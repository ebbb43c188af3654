using System;

namespace JiraConfigGen.Cli.Inputs;

/// <summary>
/// The command cannot run as asked: a path that does not exist, a file that cannot be read, an option
/// without sense. Exit code 2, with <see cref="Exception.Message"/> as the one line on stderr.
/// </summary>
internal sealed class CommandException : Exception
{
    public CommandException(string message)
        : base(message)
    {
    }

    public CommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The exit code of a command that could not run.</summary>
    public const int ExitCode = 2;
}
