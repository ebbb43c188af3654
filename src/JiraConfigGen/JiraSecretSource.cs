namespace JiraConfigGen
{
    /// <summary>Where a connection's token lives. The token itself is never in the connections file.</summary>
    public enum JiraSecretSource
    {
        /// <summary>
        /// A key of the application's <c>IConfiguration</c> (<c>"config"</c> in the file), so environment
        /// variables (<c>Jira__Production__ApiToken</c>), user secrets, Azure Key Vault
        /// (<c>Jira--Production--ApiToken</c>) and key-per-file all work.
        /// </summary>
        Configuration = 0,

        /// <summary>An environment variable (<c>"env"</c> in the file).</summary>
        Environment = 1,

        /// <summary>A file whose trimmed content is the token (<c>"file"</c> in the file), e.g. a Docker or Kubernetes secret.</summary>
        File = 2,
    }
}
