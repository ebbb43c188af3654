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

        public static GenerationResult Merge(ImmutableArray<FileSpec> files, GeneratorSettings settings, CancellationToken cancellationToken = default)
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

            string? ns = MergeTypeName(ordered, f => f.Namespace, "namespace", diagnostics) ?? DefaultNamespace(settings, diagnostics);
            string className = MergeTypeName(ordered, f => f.ClassName, "className", diagnostics) ?? DefaultClassName;
            string accessibility = ReadAccessibility(settings.Build.Accessibility, diagnostics);

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
                    instance.AddWebhooks(connection);
                    if (connection.Nickname is null)
                    {
                        continue;
                    }

                    if (byNickname.FirstOrAdd(connection.Nickname, connection) is { } first)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(D.DuplicateNickname, connection.NicknameLocation, connection.DisplayName, first.NicknameLocation!.Value.Describe()));
                        continue;
                    }

                    CheckSharedAccount(connection, ref instance, instances, diagnostics);
                    if (!CheckIdentifier(connection, className, byIdentifier, diagnostics))
                    {
                        continue;
                    }

                    accessors.Add(connection.Accessor!);
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

        /// <summary>The first file's value (in path order); a different value in a later file is JCG015 there.</summary>
        private static string? MergeTypeName(List<FileSpec> files, Func<FileSpec, LocatedValue?> select, string property, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
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
                    diagnostics.Add(DiagnosticInfo.Create(D.InvalidTypeName, value.Location,
                        $"\"{property}\" is '{MessageText.Quote(value.Value)}' here but '{MessageText.Quote(chosen.Value)}' at {chosen.Location.Describe()}; the connection files of a project make one class, so set the same value in both or remove one"));
                }
            }

            return chosen?.Value;
        }

        /// <summary>JiraConfigGenAccessibility: empty or <c>public</c>, or <c>internal</c>; anything else is JCG016.</summary>
        private static string ReadAccessibility(string? value, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
        {
            string trimmed = value?.Trim() ?? string.Empty;
            if (trimmed.Length == 0 || string.Equals(trimmed, "public", StringComparison.OrdinalIgnoreCase))
            {
                return "public";
            }

            if (string.Equals(trimmed, "internal", StringComparison.OrdinalIgnoreCase))
            {
                return "internal";
            }

            diagnostics.Add(DiagnosticInfo.Create(D.InvalidBuildOption, null, JiraConnectionsGenerator.AccessibilityProperty, MessageText.Quote(trimmed), "public or internal"));
            return "public";
        }

        private static string? DefaultNamespace(GeneratorSettings settings, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
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

            diagnostics.Add(DiagnosticInfo.Create(D.InvalidTypeName, null,
                $"The project's RootNamespace '{MessageText.Quote(root)}' is not a C# namespace ({problem}), so the connections class is generated in the global namespace; set \"namespace\" in the connections file"));
            return null;
        }

        /// <summary>Reports JCG008 and returns false when the connection cannot have an accessor of its own.</summary>
        private static bool CheckIdentifier(ConnectionSpec connection, string className, FirstIndex<ConnectionSpec> byIdentifier, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
        {
            string identifier = connection.Identifier;
            string? problem = null;
            if (identifier.Length == 0)
            {
                problem = "the nickname gives no C# identifier (it needs a letter or digit that C# accepts in a name); rename it";
            }
            else if (Identifiers.IsReserved(identifier) || identifier == className)
            {
                problem = $"the nickname gives the identifier '{identifier}', which the generated class already uses for {(identifier == className ? "its own name" : "a member")}; rename the connection";
            }
            else if (byIdentifier.FirstOrAdd(identifier, connection) is { } other)
            {
                problem = $"the nickname gives the identifier '{identifier}', as {other.DisplayName} at {other.NicknameLocation!.Value.Describe()} does; rename one of them";
            }

            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(D.InvalidIdentifier, connection.NicknameLocation, connection.DisplayName, problem));
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

            public void AddWebhooks(ConnectionSpec connection)
            {
                Webhooks += connection.Webhooks;
                if (CrossedAt is null && Webhooks > MaxWebhooksPerInstance)
                {
                    CrossedAt = connection;
                }
            }
        }
    }
}
