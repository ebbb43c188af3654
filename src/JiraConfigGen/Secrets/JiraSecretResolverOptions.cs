using System;

namespace JiraConfigGen
{
    /// <summary>Options of <see cref="JiraSecretResolver"/>.</summary>
    public sealed class JiraSecretResolverOptions
    {
        /// <summary>
        /// How long a token read from a file is reused before the file is read again (default 1 second).
        /// Configuration and environment values are read on every call: they are in memory already.
        /// <see cref="TimeSpan.Zero"/> reads the file on every call.
        /// </summary>
        public TimeSpan FileRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);
    }
}
