using System;
using JiraConfigGen.Shared;

namespace JiraConfigGen
{
    /// <summary>
    /// Names where a token lives (a configuration key, an environment variable or a file); it never
    /// holds the token itself, so it is safe to log, print and compare.
    /// </summary>
    public sealed class JiraSecretReference : IEquatable<JiraSecretReference>
    {
        private JiraSecretReference(JiraSecretSource source, string name)
        {
            if (name is null)
            {
                throw new ArgumentNullException(nameof(name));
            }

            if (name.Trim().Length == 0)
            {
                throw new ArgumentException("A secret reference needs a non-blank name: the configuration key, environment variable or file path that holds the token.", nameof(name));
            }

            Source = source;
            Name = name;
        }

        /// <summary>Where the token is looked up.</summary>
        public JiraSecretSource Source { get; }

        /// <summary>The configuration key, environment variable name or file path.</summary>
        public string Name { get; }

        /// <summary>A token read from the application's <c>IConfiguration</c> under <paramref name="key"/> (e.g. <c>Jira:Production:ApiToken</c>).</summary>
        /// <param name="key">The configuration key, with <c>:</c> between sections.</param>
        /// <returns>The reference.</returns>
        public static JiraSecretReference Configuration(string key) => new(JiraSecretSource.Configuration, key);

        /// <summary>A token read from the environment variable <paramref name="variable"/>.</summary>
        /// <param name="variable">The environment variable's name.</param>
        /// <returns>The reference.</returns>
        public static JiraSecretReference Environment(string variable) => new(JiraSecretSource.Environment, variable);

        /// <summary>A token read from the file at <paramref name="path"/> (its content, trimmed).</summary>
        /// <param name="path">The file's path.</param>
        /// <returns>The reference.</returns>
        public static JiraSecretReference File(string path) => new(JiraSecretSource.File, path);

        /// <summary>The reference as written in the file's <c>apiToken</c> object, e.g. <c>env:JIRA_PROD_TOKEN</c>.</summary>
        /// <returns>The source's JSON name, a colon and the name.</returns>
        public override string ToString() => SourceKeyword + ":" + Name;

        /// <summary>The key used in the file: <c>config</c>, <c>env</c> or <c>file</c>.</summary>
        public string SourceKeyword => Source switch
        {
            JiraSecretSource.Configuration => "config",
            JiraSecretSource.Environment => "env",
            _ => "file",
        };

        /// <inheritdoc />
        public bool Equals(JiraSecretReference? other) =>
            other is not null && Source == other.Source && NameComparer(Source).Equals(Name, other.Name);

        /// <inheritdoc />
        public override bool Equals(object? obj) => Equals(obj as JiraSecretReference);

        /// <inheritdoc />
        public override int GetHashCode() => ((int)Source * 397) ^ NameComparer(Source).GetHashCode(Name);

        private static StringComparer NameComparer(JiraSecretSource source) =>
            JiraIdentity.TokenNameComparer(isConfigurationKey: source == JiraSecretSource.Configuration);
    }
}
