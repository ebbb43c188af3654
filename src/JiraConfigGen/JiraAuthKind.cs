namespace JiraConfigGen
{
    /// <summary>How a connection authenticates to Jira.</summary>
    public enum JiraAuthKind
    {
        /// <summary>
        /// <c>Authorization: Basic base64(username:token)</c>: an Atlassian Cloud account's email
        /// address with an API token (the default, written <c>"basic"</c> in the file).
        /// </summary>
        Basic = 0,

        /// <summary>
        /// <c>Authorization: Bearer token</c>: a Jira Data Center personal access token (Jira 8.14+),
        /// written <c>"bearer"</c> in the file.
        /// </summary>
        Bearer = 1,
    }
}
