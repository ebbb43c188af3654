namespace JiraConfigGen.Generator.Model
{
    /// <summary>A string value from the file and where it was written.</summary>
    internal sealed record LocatedValue(string Value, LocationInfo Location);

    /// <summary>A token reference: <c>config</c>, <c>env</c> or <c>file</c>, and the key, variable or path.</summary>
    internal sealed record TokenSpec(string Source, string Name)
    {
        public override string ToString() => Source + ":" + Name;
    }

    /// <summary>What one connection object of one file declared, after the checks that need only that object.</summary>
    /// <param name="Ordinal">1-based position in its file's <c>connections</c> array, to name it when it has no nickname.</param>
    /// <param name="Nickname">The nickname, trimmed; null when missing, blank or not a string.</param>
    /// <param name="Identifier">The C# identifier derived from <paramref name="Nickname"/>; empty when there is none.</param>
    /// <param name="ErrorIds">The IDs of errors reported inside this object: a connection with any is not usable.</param>
    internal sealed record ConnectionSpec(
        int Ordinal,
        string? Nickname,
        string Identifier,
        LocationInfo? NicknameLocation,
        string? Username,
        string? InstanceUrl,
        TokenSpec? Token,
        LocationInfo? TokenLocation,
        string Auth,
        string? Description,
        bool Events,
        int Webhooks,
        LocationInfo? WebhooksLocation,
        EquatableArray<string> ErrorIds)
    {
        /// <summary>How messages name the connection: <c>'Production'</c>, or <c>#3</c> when it has no nickname.</summary>
        public string DisplayName => Nickname is null ? "#" + Ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture) : "'" + MessageText.Quote(Nickname) + "'";
    }

    /// <summary>Everything read from one connections file: its values and the diagnostics that need only this file.</summary>
    internal sealed record FileSpec(
        string Path,
        LocatedValue? Namespace,
        LocatedValue? ClassName,
        EquatableArray<ConnectionSpec> Connections,
        EquatableArray<DiagnosticInfo> Diagnostics);
}
