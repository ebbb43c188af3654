using System;

namespace JiraConfigGen
{
    /// <summary>Options of <see cref="JiraSecretResolver"/>.</summary>
    public sealed class JiraSecretResolverOptions
    {
        /// <summary>
        /// How long a token read from a file is reused before the file is read again (default 1 second).
        /// <see cref="TimeSpan.Zero"/> reads the file on every call.
        /// </summary>
        public TimeSpan FileRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>
        /// How long a token read from an environment variable is reused before the variable is read again
        /// (default 1 second): reading one copies its value into a new string, which on every request would be
        /// the guard's only allocation. A process sees a change to its own environment within this time.
        /// <see cref="TimeSpan.Zero"/> reads the variable on every call. Configuration values are read on every
        /// call: they are in memory already.
        /// </summary>
        public TimeSpan EnvironmentRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);
    }
}
