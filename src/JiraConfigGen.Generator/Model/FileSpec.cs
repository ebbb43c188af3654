using JiraConfigGen.Shared;

namespace JiraConfigGen.Generator.Model
{
    /// <summary>A string value from the file and where it was written.</summary>
    internal sealed record LocatedValue(string Value, LocationInfo Location);

    /// <summary>
    /// A token reference: <c>config</c>, <c>env</c> or <c>file</c>, and the key, variable or path. A struct,
    /// kept inside its accessor: 10,000 connections should not mean 10,000 more objects.
    /// </summary>
    internal readonly record struct TokenSpec(string Source, string Name)
    {
        public override string ToString() => Source + ":" + Name;
    }

    /// <summary>What one connection object of one file declared, after the checks that need only that object.</summary>
    /// <param name="Ordinal">1-based position in its file's <c>connections</c> array, to name it when it has no nickname.</param>
    /// <param name="Accessor">
    /// What the generated class gets for it, built once here (the merge only picks which ones are kept);
    /// null when it has no nickname (missing, blank or not a string).
    /// </param>
    /// <param name="InstanceUrl">The instanceUrl as written (also for a connection with errors: JCG012 counts its webhooks).</param>
    /// <param name="Webhooks">The webhooks it declares (0 when missing or invalid).</param>
    /// <param name="FilePath">The file's path, kept once here rather than in each of the value spans.</param>
    /// <param name="NicknameSpan">Where the nickname's value is, for messages about this connection.</param>
    /// <param name="TokenSpan">Where the apiToken's value is (JCG011).</param>
    /// <param name="WebhooksSpan">Where the webhooks' value is (JCG012).</param>
    /// <param name="ErrorIds">The IDs of errors reported inside this object: a connection with any is not usable.</param>
    internal sealed record ConnectionSpec(
        int Ordinal,
        AccessorSpec? Accessor,
        string? InstanceUrl,
        int Webhooks,
        string FilePath,
        ValueSpan? NicknameSpan,
        ValueSpan? TokenSpan,
        ValueSpan? WebhooksSpan,
        EquatableArray<string> ErrorIds)
    {
        /// <summary>The nickname's place, for a diagnostic.</summary>
        public LocationInfo? NicknameLocation => NicknameSpan?.In(FilePath);

        /// <summary>The apiToken's place, for a diagnostic.</summary>
        public LocationInfo? TokenLocation => TokenSpan?.In(FilePath);

        /// <summary>The webhooks' place, for a diagnostic.</summary>
        public LocationInfo? WebhooksLocation => WebhooksSpan?.In(FilePath);

        /// <summary>The nickname, trimmed; null when missing, blank or not a string.</summary>
        public string? Nickname => Accessor?.Nickname;

        /// <summary>The C# identifier derived from the nickname; empty when there is none.</summary>
        public string Identifier => Accessor?.Identifier ?? string.Empty;

        /// <summary>The username, on a connection without errors (the accessor of one with errors does not carry it).</summary>
        public string? Username => Accessor?.Username;

        /// <summary>The token reference, on a connection without errors.</summary>
        public TokenSpec? Token => Accessor?.Token;

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
