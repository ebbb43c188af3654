using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using JiraConfigGen.Generator.Model;
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
            var byNickname = new FirstIndex<ConnectionSpec>(StringComparer.OrdinalIgnoreCase, count);
            var byIdentifier = new FirstIndex<ConnectionSpec>(StringComparer.Ordinal, count);
            var accounts = new AccountIndex(count);
            var webhooks = new FirstIndex<WebhookTotal>(StringComparer.OrdinalIgnoreCase);

            foreach (FileSpec file in ordered)
            {
                string fileName = System.IO.Path.GetFileName(file.Path);
                foreach (ConnectionSpec connection in file.Connections)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    CountWebhooks(connection, webhooks);
                    if (connection.Nickname is null)
                    {
                        continue;
                    }

                    if (byNickname.FirstOrAdd(connection.Nickname, connection) is { } first)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(D.DuplicateNickname, connection.NicknameLocation, connection.DisplayName, first.NicknameLocation!.Value.Describe()));
                        continue;
                    }

                    CheckSharedAccount(connection, accounts, diagnostics);
                    if (!CheckIdentifier(connection, className, byIdentifier, diagnostics))
                    {
                        continue;
                    }

                    string? errors = connection.ErrorIds.Count == 0 ? null : string.Join(", ", connection.ErrorIds);
                    accessors.Add(errors is null
                        ? new AccessorSpec(connection.Identifier, connection.Nickname, connection.Username, connection.InstanceUrl, connection.Token, connection.Auth, connection.Description, connection.Events, connection.Webhooks, fileName, null)
                        : new AccessorSpec(connection.Identifier, connection.Nickname, null, null, null, connection.Auth, connection.Description, false, 0, fileName, errors));
                }
            }

            foreach (WebhookTotal total in webhooks.Values)
            {
                if (total.Count > MaxWebhooksPerInstance)
                {
                    diagnostics.Add(DiagnosticInfo.Create(D.TooManyWebhooks, total.CrossedAt, MessageText.Quote(total.Instance), total.Count.ToString(CultureInfo.InvariantCulture)));
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
            else if (Identifiers.Reserved.Contains(identifier) || identifier == className)
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
        private static void CheckSharedAccount(ConnectionSpec connection, AccountIndex accounts, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
        {
            if (connection.Username is null || connection.InstanceUrl is null || connection.Token is null || connection.ErrorIds.Count > 0)
            {
                return;
            }

            ConnectionSpec? first = accounts.FirstOrAdd(connection);
            if (first is not null && !SameReference(first.Token!, connection.Token))
            {
                diagnostics.Add(DiagnosticInfo.Create(D.SharedAccountDifferentTokens, connection.TokenLocation,
                    first.DisplayName, connection.DisplayName, MessageText.Quote(connection.Username), MessageText.Quote(connection.InstanceUrl),
                    MessageText.Quote(first.Token!.ToString()), MessageText.Quote(connection.Token.ToString())));
            }
        }

        // Configuration keys are case-insensitive; environment variables and paths are not (on Linux).
        private static bool SameReference(TokenSpec a, TokenSpec b) =>
            a.Source == b.Source && string.Equals(a.Name, b.Name, a.Source == "config" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

        private static void CountWebhooks(ConnectionSpec connection, FirstIndex<WebhookTotal> totals)
        {
            if (connection.InstanceUrl is null || connection.Webhooks == 0)
            {
                return;
            }

            WebhookTotal? total = totals.Find(connection.InstanceUrl);
            if (total is null)
            {
                total = new WebhookTotal(connection.InstanceUrl);
                totals.FirstOrAdd(connection.InstanceUrl, total);
            }

            total.Add(connection.Webhooks, connection.WebhooksLocation);
        }

        /// <summary>
        /// The first connection of each Jira account (instance and user name, case-insensitive). Most
        /// instances have one account, so it is keyed by instance with string hashing the runtime makes
        /// fast; a second account of an instance goes to a table keyed by both.
        /// </summary>
        private sealed class AccountIndex
        {
            private readonly FirstIndex<ConnectionSpec> _byInstance;
            private Dictionary<string, ConnectionSpec>? _others;

            public AccountIndex(int capacity) => _byInstance = new FirstIndex<ConnectionSpec>(StringComparer.OrdinalIgnoreCase, capacity);

            /// <summary>The earlier connection to the same account, or null (and this one is remembered).</summary>
            public ConnectionSpec? FirstOrAdd(ConnectionSpec connection)
            {
                string instance = connection.InstanceUrl!;
                if (_byInstance.FirstOrAdd(instance, connection) is not { } first)
                {
                    return null;
                }

                if (string.Equals(first.Username, connection.Username, StringComparison.OrdinalIgnoreCase))
                {
                    return first;
                }

                _others ??= new Dictionary<string, ConnectionSpec>(StringComparer.OrdinalIgnoreCase);
                string account = instance + "\n" + connection.Username;
                if (_others.TryGetValue(account, out ConnectionSpec? other))
                {
                    return other;
                }

                _others.Add(account, connection);
                return null;
            }
        }

        private sealed class WebhookTotal
        {
            public WebhookTotal(string instance) => Instance = instance;

            public string Instance { get; }

            public long Count { get; private set; }

            /// <summary>The webhooks value that took the total past the limit: where JCG012 is reported.</summary>
            public LocationInfo? CrossedAt { get; private set; }

            public void Add(int count, LocationInfo? location)
            {
                Count += count;
                if (CrossedAt is null && Count > MaxWebhooksPerInstance)
                {
                    CrossedAt = location;
                }
            }
        }
    }
}
