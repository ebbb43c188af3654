namespace JiraConfigGen
{
    /// <summary>Resolves a connection's token from where it lives.</summary>
    public interface IJiraSecretResolver
    {
        /// <summary>
        /// Reads the current token of <paramref name="connection"/>. Called for every request, so a rotated
        /// token is picked up without a restart; implementations cache what is costly to read.
        /// </summary>
        /// <param name="connection">The connection.</param>
        /// <returns>The token, wrapped so that it cannot be printed.</returns>
        /// <exception cref="JiraSecretUnavailableException">The token is missing, empty or unreadable.</exception>
        JiraSecret Resolve(JiraConnection connection);
    }
}
