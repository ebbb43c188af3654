using System;

namespace JiraConfigGen
{
    /// <summary>Why a token could not be resolved.</summary>
    public enum JiraSecretProblem
    {
        /// <summary>The configuration key, environment variable or file does not exist.</summary>
        Missing,

        /// <summary>It exists but is empty or only whitespace.</summary>
        Empty,

        /// <summary>The file exists but could not be read, or no <c>IConfiguration</c> was given for a <c>config</c> reference.</summary>
        Unreadable,
    }

    /// <summary>
    /// A connection's token could not be resolved. The message names the connection, the reference and
    /// how to set it; it never contains a secret value.
    /// </summary>
    public sealed class JiraSecretUnavailableException : InvalidOperationException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="connection">The connection's nickname.</param>
        /// <param name="reference">Where the token should be.</param>
        /// <param name="problem">What is wrong.</param>
        /// <param name="detail">More about it (e.g. the I/O error); must not contain a secret.</param>
        public JiraSecretUnavailableException(string connection, JiraSecretReference reference, JiraSecretProblem problem, string? detail = null)
            : base(Describe(connection, reference, problem, detail))
        {
            Connection = connection;
            Reference = reference;
            Problem = problem;
        }

        /// <summary>The nickname of the connection whose token is unavailable.</summary>
        public string Connection { get; }

        /// <summary>Where the token should be.</summary>
        public JiraSecretReference Reference { get; }

        /// <summary>What is wrong.</summary>
        public JiraSecretProblem Problem { get; }

        private static string Describe(string connection, JiraSecretReference reference, JiraSecretProblem problem, string? detail)
        {
            string what = reference.Source switch
            {
                JiraSecretSource.Configuration => $"configuration key '{reference.Name}'",
                JiraSecretSource.Environment => $"environment variable '{reference.Name}'",
                _ => $"file '{reference.Name}'",
            };
            string state = problem switch
            {
                JiraSecretProblem.Missing => "is not set",
                JiraSecretProblem.Empty => "is empty",
                _ => "could not be read" + (detail is null ? string.Empty : " (" + detail + ")"),
            };
            string fix = reference.Source switch
            {
                JiraSecretSource.Configuration => $"Set it in any configuration source of the application: environment variable '{reference.Name.Replace(":", "__")}', user secrets (dotnet user-secrets set \"{reference.Name}\" <token>), Azure Key Vault secret '{reference.Name.Replace(":", "--")}', or a key-per-file directory.",
                JiraSecretSource.Environment => $"Set the environment variable '{reference.Name}' for the process to the token.",
                _ => $"Write the token into '{reference.Name}' (only the token; surrounding whitespace is ignored) and make it readable by the process.",
            };
            return $"The token of Jira connection '{connection}' is unavailable: {what} ({reference}) {state}. {fix}";
        }
    }
}
