namespace JiraConfigGen.Generator
{
    /// <summary>Names of the pipeline steps, so tests can check what ran again and what was cached.</summary>
    internal static class TrackingNames
    {
        public const string ConnectionFiles = nameof(ConnectionFiles);
        public const string AllFiles = nameof(AllFiles);
        public const string BuildOptions = nameof(BuildOptions);
        public const string BuildOptionDiagnostics = nameof(BuildOptionDiagnostics);
        public const string Language = nameof(Language);
        public const string NullableAttributes = nameof(NullableAttributes);
        public const string Settings = nameof(Settings);
        public const string Merged = nameof(Merged);
        public const string Source = nameof(Source);
        public const string Diagnostics = nameof(Diagnostics);
    }
}
