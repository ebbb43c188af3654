using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using JiraConfigGen.Generator.Model;
using JiraConfigGen.Shared;
using D = JiraConfigGen.Generator.DiagnosticDescriptors;

namespace JiraConfigGen.Generator.Parsing
{
    /// <summary>
    /// Merges the files of a project into one class, in the order of their paths, and applies the
    /// rules that span connections and files: JCG002 (duplicate nicknames), JCG008 (identifier
    /// clashes), JCG011 (one account, several tokens), JCG012 (webhooks per instance) and JCG015
    /// (files that disagree on namespace or className). Every rule runs in linear time.
    /// </summary>
    internal static class ConnectionsMerger
    {
        public const string DefaultClassName = "JiraConnections";
        private const int MaxWebhooksPerInstance = 100;
        private const string GetterPrefix = "get_";

        public static GenerationResult Merge(ImmutableArray<FileSpec> files, GeneratorSettings settings, CancellationToken cancellationToken = default)
        {
            try
            {
                return MergeFiles(files, settings, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A safety net, never expected to catch: a generator that throws gives the user only CS8785. The files
                // were read without a problem of this kind, so their own diagnostics still stand.
                ImmutableArray<FileSpec> read = files.IsDefault ? ImmutableArray<FileSpec>.Empty : files;
                string shape = $"the project's connection files ({read.Length} files, {read.Sum(f => f.Connections.Count)} connections in all)";
                IEnumerable<DiagnosticInfo> diagnostics = read.SelectMany(f => f.Diagnostics)
                    .Append(DiagnosticInfo.Create(D.InternalError, null, exception.GetType().Name, shape));
                return new GenerationResult(null, diagnostics.ToEquatableArray());
            }
        }

        private static GenerationResult MergeFiles(ImmutableArray<FileSpec> files, GeneratorSettings settings, CancellationToken cancellationToken)
        {
            if (files.IsDefaultOrEmpty)
            {
                return new GenerationResult(null, EquatableArray<DiagnosticInfo>.Empty);
            }

            // The same path listed twice is read once; the order is that of the paths, so it is stable.
            List<FileSpec> ordered = files
                .GroupBy(f => f.Path, StringComparer.Ordinal)
                .Select(g => g.First())
                .OrderBy(f => f.Path, StringComparer.Ordinal)
                .ToList();

            var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
            foreach (FileSpec file in ordered)
            {
                diagnostics.AddRange(file.Diagnostics);
            }

            string? projectDirectory = settings.Build.ProjectDirectory;
            LocatedValue? declaredNamespace = MergeTypeName(ordered, f => f.Namespace, "namespace", projectDirectory, diagnostics);
            LocatedValue? declaredClassName = MergeTypeName(ordered, f => f.ClassName, "className", projectDirectory, diagnostics);
            (string? ns, string className) = ChooseTypeName(declaredNamespace, declaredClassName, settings, diagnostics);
            string accessibility = ReadAccessibility(settings.Build);

            int count = ordered.Sum(f => f.Connections.Count);
            var accessors = ImmutableArray.CreateBuilder<AccessorSpec>(count);
            using var byNickname = new FirstIndex<ConnectionSpec>(StringComparer.OrdinalIgnoreCase, count);
            using var byIdentifier = new FirstIndex<ConnectionSpec>(StringComparer.Ordinal, count);
            using var instances = new InstanceIndex(count);

            foreach (FileSpec file in ordered)
            {
                foreach (ConnectionSpec connection in file.Connections)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    ref InstanceState instance = ref instances.Of(connection.InstanceUrl);

                    // The connection whose webhooks take its instance past the limit has an error (JCG012): its accessor
                    // throws like that of any connection with an error, and it is not in All.
                    bool crossesLimit = instance.AddWebhooks(connection);
                    if (connection.Nickname is null)
                    {
                        continue;
                    }

                    if (byNickname.FirstOrAdd(connection.Nickname, connection) is { } first)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(D.DuplicateNickname, connection.NicknameLocation, first.NicknameLocation, connection.DisplayName, first.NicknameLocation!.Value.Describe(projectDirectory)));
                        continue;
                    }

                    CheckSharedAccount(connection, ref instance, instances, diagnostics);
                    if (!CheckIdentifier(connection, className, byIdentifier, projectDirectory, diagnostics))
                    {
                        continue;
                    }

                    accessors.Add(crossesLimit ? connection.Accessor!.WithError(D.TooManyWebhooks.Id) : connection.Accessor!);
                }
            }

            foreach (KeyValuePair<string, InstanceState> instance in instances.All)
            {
                if (instance.Value.Webhooks > MaxWebhooksPerInstance)
                {
                    // Reported at the webhooks value that took the total past the limit.
                    diagnostics.Add(DiagnosticInfo.Create(D.TooManyWebhooks, instance.Value.CrossedAt!.WebhooksLocation, MessageText.Quote(instance.Value.FirstWritten!), instance.Value.Webhooks.ToString(CultureInfo.InvariantCulture)));
                }
            }

            var source = new GenerationSpec(ns, className, accessibility, accessors.ToEquatableArray(), settings.EmitNullableAnnotations, settings.HasMaybeNullWhen);
            IEnumerable<DiagnosticInfo> sorted = diagnostics
                .OrderBy(d => d.Location?.FilePath ?? string.Empty, StringComparer.Ordinal)
                .ThenBy(d => d.Location?.Span.Start ?? -1)
                .ThenBy(d => d.Descriptor.Id, StringComparer.Ordinal);
            return new GenerationResult(source, sorted.ToEquatableArray());
        }

        /// <summary>
        /// The namespace and class name of the generated class: the files' (or the defaults), unless together they take a
        /// name the generated code or the runtime needs (JCG015, at the value that does it); then the defaults, which cannot.
        /// </summary>
        private static (string? Namespace, string ClassName) ChooseTypeName(LocatedValue? declaredNamespace, LocatedValue? declaredClassName, GeneratorSettings settings, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
        {
            string? ns = declaredNamespace?.Value ?? DefaultNamespace(settings, diagnostics);
            string className = declaredClassName?.Value ?? DefaultClassName;
            if (Identifiers.FindClash(ns, className) is not { } clash)
            {
                return (ns, className);
            }

            // Reported at the value the user chose: the className when the file sets one, else the namespace.
            LocationInfo? at = declaredClassName is not null ? declaredClassName.Location : declaredNamespace?.Location;
            diagnostics.Add(DiagnosticInfo.Create(clash.Descriptor, at, clash.Args));
            string fallbackNamespace = declaredClassName is not null ? ns! : DefaultNamespace(settings, null)!;
            return Identifiers.FindClash(fallbackNamespace, DefaultClassName) is null ? (fallbackNamespace, DefaultClassName) : (null, DefaultClassName);
        }

        /// <summary>The first file's value (in path order); a different value in a later file is JCG015 there.</summary>
        private static LocatedValue? MergeTypeName(List<FileSpec> files, Func<FileSpec, LocatedValue?> select, string property, string? projectDirectory, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
        {
            LocatedValue? chosen = null;
            foreach (FileSpec file in files)
            {
                LocatedValue? value = select(file);
                if (value is null)
                {
                    continue;
                }

                if (chosen is null)
                {
                    chosen = value;
                }
                else if (!string.Equals(chosen.Value, value.Value, StringComparison.Ordinal))
                {
                    diagnostics.Add(DiagnosticInfo.Create(D.TypeNameDisagrees, value.Location, chosen.Location,
                        property, MessageText.Quote(value.Value), MessageText.Quote(chosen.Value), chosen.Location.Describe(projectDirectory)));
                }
            }

            return chosen;
        }

        /// <summary>
        /// JiraConfigGenAccessibility when it is set (an invalid value is JCG016, <see cref="BuildOptionRules"/>, and reads
        /// as the default). Unset, a library's class is <c>internal</c>: a public class in a library clashes (CS0436) with
        /// the class of an application that references it and uses the same namespace, which loses that application its
        /// own connections. An application's class is <c>public</c>, as before.
        /// </summary>
        private static string ReadAccessibility(BuildOptions options)
        {
            if (options.Accessibility is { } written && written.Trim().Length > 0)
            {
                return BuildOptionRules.Accessibility.Read(written) ?? "public";
            }

            return string.Equals(options.OutputType?.Trim(), "Library", StringComparison.OrdinalIgnoreCase) ? "internal" : "public";
        }

        /// <summary>The project's RootNamespace when it is a C# namespace; when it is not, null, and JCG015 when <paramref name="diagnostics"/> are given.</summary>
        private static string? DefaultNamespace(GeneratorSettings settings, ImmutableArray<DiagnosticInfo>.Builder? diagnostics)
        {
            string? root = settings.Build.RootNamespace;
            if (root is null || root.Trim().Length == 0)
            {
                return null;
            }

            string? problem = Identifiers.ExplainInvalidNamespace(root);
            if (problem is null)
            {
                return root;
            }

            diagnostics?.Add(DiagnosticInfo.Create(D.InvalidRootNamespace, null, MessageText.Quote(root), problem));
            return null;
        }

        /// <summary>Reports JCG008 and returns false when the connection cannot have an accessor of its own.</summary>
        private static bool CheckIdentifier(ConnectionSpec connection, string className, FirstIndex<ConnectionSpec> byIdentifier, string? projectDirectory, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
        {
            string identifier = connection.Identifier;
            DiagnosticInfo? problem = null;
            if (identifier.Length == 0)
            {
                problem = DiagnosticInfo.Create(D.NoIdentifier, connection.NicknameLocation, connection.DisplayName);
            }
            else if (!Identifiers.FitsInMetadata(identifier, prefixBytes: GetterPrefix.Length))
            {
                string bytes = System.Text.Encoding.UTF8.GetByteCount(identifier).ToString(CultureInfo.InvariantCulture);
                problem = DiagnosticInfo.Create(D.GetterTooLong, connection.NicknameLocation, connection.DisplayName, bytes, Identifiers.MaxMetadataNameBytes.ToString(CultureInfo.InvariantCulture));
            }
            else if (Identifiers.IsReserved(identifier) || identifier == className)
            {
                problem = DiagnosticInfo.Create(identifier == className ? D.IdentifierOfClass : D.IdentifierOfMember, connection.NicknameLocation, connection.DisplayName, identifier);
            }
            else if (byIdentifier.FirstOrAdd(identifier, connection) is { } other)
            {
                problem = DiagnosticInfo.Create(D.InvalidIdentifier, connection.NicknameLocation, other.NicknameLocation,
                    connection.DisplayName, identifier, other.DisplayName, other.NicknameLocation!.Value.Describe(projectDirectory));
            }

            if (problem is not null)
            {
                diagnostics.Add(problem);
                return false;
            }

            return true;
        }

        /// <summary>JCG011: a later connection to the same account (instance and username) with another token reference.</summary>
        private static void CheckSharedAccount(ConnectionSpec connection, ref InstanceState instance, InstanceIndex instances, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
        {
            if (connection.Username is null || connection.InstanceUrl is null || connection.Token is null || connection.ErrorIds.Count > 0)
            {
                return;
            }

            ConnectionSpec? first = instances.FirstOfAccount(ref instance, connection);
            if (first is not null && !SameReference(first.Token!.Value, connection.Token.Value))
            {
                diagnostics.Add(DiagnosticInfo.Create(D.SharedAccountDifferentTokens, connection.TokenLocation,
                    first.DisplayName, connection.DisplayName, MessageText.Quote(connection.Username), MessageText.Quote(connection.InstanceUrl),
                    MessageText.Quote(first.Token!.Value.ToString()), MessageText.Quote(connection.Token.Value.ToString())));
            }
        }

        private static bool SameReference(TokenSpec a, TokenSpec b) =>
            a.Source == b.Source && JiraIdentity.TokenNameComparer(isConfigurationKey: a.Source == "config").Equals(a.Name, b.Name);

        /// <summary>
        /// What the rules keep per Jira instance (one Jira however written: <see cref="JiraIdentity.InstanceKey"/>,
        /// the rule the runtime guard keys accounts by): its webhooks (JCG012) and the first connection of each
        /// account on it (JCG011). Most instances have one account, kept in the instance's own state; a second
        /// account of an instance goes to a table keyed by both.
        /// </summary>
        private sealed class InstanceIndex : IDisposable
        {
            private readonly FirstIndex<InstanceState> _instances;
            private InstanceState _none; // connections without an instanceUrl: nothing is counted for them
            private Dictionary<string, ConnectionSpec>? _otherAccounts;

            public InstanceIndex(int capacity) => _instances = new FirstIndex<InstanceState>(StringComparer.Ordinal, capacity);

            public void Dispose() => _instances.Dispose();

            /// <summary>Each instance (its key) and its state.</summary>
            public IEnumerable<KeyValuePair<string, InstanceState>> All => _instances.Entries;

            /// <summary>The state of <paramref name="instanceUrl"/>; valid until the next instance is added.</summary>
            public ref InstanceState Of(string? instanceUrl)
            {
                if (instanceUrl is null)
                {
                    _none = default;
                    return ref _none;
                }

                ref InstanceState state = ref _instances.GetOrAdd(JiraIdentity.InstanceKey(instanceUrl), out _);
                state.FirstWritten ??= instanceUrl;
                return ref state;
            }

            /// <summary>The earlier connection to the same account, or null (and this one is remembered).</summary>
            public ConnectionSpec? FirstOfAccount(ref InstanceState instance, ConnectionSpec connection)
            {
                if (instance.FirstAccount is not { } first)
                {
                    instance.FirstAccount = connection;
                    return null;
                }

                if (JiraIdentity.SameUsername(first.Username, connection.Username))
                {
                    return first;
                }

                _otherAccounts ??= new Dictionary<string, ConnectionSpec>(StringComparer.Ordinal);
                string account = JiraIdentity.AccountKey(connection.InstanceUrl, connection.Username);
                if (_otherAccounts.TryGetValue(account, out ConnectionSpec? other))
                {
                    return other;
                }

                _otherAccounts.Add(account, connection);
                return null;
            }
        }

        private struct InstanceState
        {
            /// <summary>The instanceUrl as the first connection to the instance wrote it, for messages.</summary>
            public string? FirstWritten;

            /// <summary>The first connection to the instance that is checked for JCG011.</summary>
            public ConnectionSpec? FirstAccount;

            /// <summary>The admin webhooks declared for the instance so far.</summary>
            public long Webhooks;

            /// <summary>The connection whose webhooks took the total past the limit: JCG012 is reported at its value.</summary>
            public ConnectionSpec? CrossedAt;

            /// <summary>Adds the connection's webhooks; true when they are the ones that take the total past the limit.</summary>
            public bool AddWebhooks(ConnectionSpec connection)
            {
                Webhooks += connection.Webhooks;
                if (CrossedAt is null && Webhooks > MaxWebhooksPerInstance)
                {
                    CrossedAt = connection;
                    return true;
                }

                return false;
            }
        }
    }
}
