using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using JiraConfigGen.Generator.Json;
using JiraConfigGen.Generator.Model;
using JiraConfigGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using D = JiraConfigGen.Generator.DiagnosticDescriptors;

namespace JiraConfigGen.Generator.Parsing
{
    /// <summary>
    /// Reads one connections file into a <see cref="FileSpec"/>, reporting every problem that needs
    /// only that file at the exact token it concerns. Rules that span files (duplicate nicknames,
    /// identifier clashes, shared accounts, webhook totals) are in <see cref="ConnectionsMerger"/>.
    /// </summary>
    internal sealed class ConnectionsFileReader
    {
        internal static readonly string[] RootProperties = { "$schema", "namespace", "className", "connections" };
        internal static readonly string[] ConnectionProperties = { "nickname", "username", "instanceUrl", "apiToken", "auth", "description", "events", "webhooks" };

        // Indexes into RootProperties and ConnectionProperties.
        private const int Schema = 0, Namespace = 1, ClassName = 2, Connections = 3;
        private const int Nickname = 0, Username = 1, InstanceUrl = 2, ApiToken = 3, Auth = 4, Description = 5, Events = 6, Webhooks = 7;
        internal static readonly string[] TokenSources = { "config", "env", "file" };
        internal static readonly string[] AuthKinds = { "basic", "bearer" };

        private readonly string _path;
        private readonly string _fileName;
        private readonly LineCursor _lines;
        private readonly CancellationToken _cancellationToken;
        private readonly ImmutableArray<DiagnosticInfo>.Builder _diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();

        // Connections are read one after the other: these are reused for each, not allocated 10,000 times.
        private readonly JsonProperty[] _connectionProperties = new JsonProperty[ConnectionProperties.Length];
        private readonly Label _label = new();
        private JsonValue _connection;
        private bool _connectionHasProblems;

        private ConnectionsFileReader(string path, SourceText text, JsonParseResult parsed, CancellationToken cancellationToken)
        {
            _path = path;
            _fileName = System.IO.Path.GetFileName(path);
            _lines = new LineCursor(text, parsed.Chars, parsed.Length);
            _cancellationToken = cancellationToken;
        }

        /// <summary>Reads the file; never throws, except to honour cancellation.</summary>
        public static FileSpec Read(string path, SourceText text, CancellationToken cancellationToken = default)
        {
            try
            {
                using JsonParseResult parsed = JsonParser.Parse(text, cancellationToken);
                return new ConnectionsFileReader(path, text, parsed, cancellationToken).Read(parsed);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A safety net, never expected to catch: a generator that throws gives the user only a
                // CS8785 warning and no accessors. The message names the exception type, never content.
                return Failed(path, DiagnosticInfo.Create(D.InternalError, new LocationInfo(path, default, default), exception.GetType().Name, "this file (" + FileShape.Describe(text) + ")"));
            }
        }

        /// <summary>A file the compiler could not give the text of.</summary>
        public static FileSpec Unreadable(string path) =>
            Failed(path, DiagnosticInfo.Create(D.Unreadable, new LocationInfo(path, default, default)));

        private static FileSpec Failed(string path, DiagnosticInfo diagnostic) =>
            new(path, null, null, EquatableArray<ConnectionSpec>.Empty, new[] { diagnostic }.ToEquatableArray());

        private FileSpec Read(JsonParseResult parsed)
        {
            if (parsed.Error is { } error)
            {
                Report(error.Descriptor, error.Span, error.Args);
            }

            LocatedValue? ns = null;
            LocatedValue? className = null;
            var connections = ImmutableArray.CreateBuilder<ConnectionSpec>();

            JsonValue root = parsed.Root;
            if (root.IsPresent && root.Kind != JsonKind.Object)
            {
                Report(D.RootNotObject, First(root), root.KindName);
            }
            else if (root.IsPresent)
            {
                JsonProperty[] properties = ReadProperties(root, RootProperties, "the root object", "The root object", out _);
                ExpectString(properties[Schema], "The root object");
                ns = ReadTypeName(properties[Namespace], Identifiers.ExplainInvalidNamespace, "a namespace, e.g. \"Contoso.Integrations\"");
                className = ReadTypeName(properties[ClassName], Identifiers.ExplainInvalidClassName, "a class name, e.g. \"JiraConnections\"");
                ReadConnections(root, properties[Connections], connections);
            }

            IEnumerable<DiagnosticInfo> ordered = _diagnostics.OrderBy(d => d.Location?.Span.Start ?? -1);
            return new FileSpec(_path, ns, className, connections.ToEquatableArray(), ordered.ToEquatableArray());
        }

        private void ReadConnections(JsonValue root, JsonProperty property, ImmutableArray<ConnectionSpec>.Builder connections)
        {
            if (!property.IsPresent)
            {
                if (root.IsComplete)
                {
                    Report(D.NoConnections, First(root), _fileName);
                }

                return;
            }

            JsonValue array = property.Value;
            if (array.Kind != JsonKind.Array)
            {
                Report(D.ConnectionsNotArray, array.Span, array.KindName);
                return;
            }

            connections.Capacity = array.Items.Count;
            if (array.Items.Count == 0 && array.IsComplete)
            {
                Report(D.NoConnections, First(array), _fileName);
            }

            int i = 0;
            foreach (JsonValue item in array.Items)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                i++;
                if (item.Kind != JsonKind.Object)
                {
                    Report(D.ConnectionNotObject, item.Span, i.ToString(CultureInfo.InvariantCulture), item.KindName);
                }
                else if (item.IsComplete)
                {
                    connections.Add(ReadConnection(item, i));
                }
                else if (BrokenConnection(item, i) is { } broken)
                {
                    connections.Add(broken);
                }
            }
        }

        private ConnectionSpec ReadConnection(JsonValue obj, int ordinal)
        {
            int firstDiagnostic = _diagnostics.Count;
            TextSpan start = First(obj);
            JsonProperty[] properties = ReadProperties(obj, ConnectionProperties, null, null, out bool hasProblems, _connectionProperties);
            (_connection, _connectionHasProblems) = (obj, hasProblems);

            // The nickname first: every other message names the connection by it.
            JsonProperty nicknameProperty = properties[Nickname];
            string? nickname = nicknameProperty.IsPresent && nicknameProperty.Value.Kind == JsonKind.String ? NonBlank(nicknameProperty.Value.Text!)?.Trim() : null;
            Label label = _label.Reset(nickname, ordinal);

            ValueSpan? nicknameSpan = nicknameProperty.IsPresent ? SpanOf(nicknameProperty.Value) : null;
            if (hasProblems)
            {
                ReportPropertyProblems(obj, ConnectionProperties, "connection " + label.Name, label.Where);
            }

            if (!nicknameProperty.IsPresent)
            {
                Report(D.MissingRequiredValue, start, label.Name, NearMiss(Nickname));
            }
            else if (nickname is null && ExpectString(nicknameProperty, label) is not null)
            {
                Report(D.BlankNickname, nicknameProperty.Value.Span, label.Name);
            }

            string auth = ReadAuth(properties[Auth], label);
            string? username = ReadUsername(properties[Username], start, label, auth);
            (string? instanceUrl, InstanceUrlParts host) = ReadInstanceUrl(properties[InstanceUrl], start, label);
            (TokenSpec? token, ValueSpan? tokenSpan) = ReadApiToken(properties[ApiToken], start, label, nickname);
            string? description = ExpectString(properties[Description], label);
            bool events = ReadEvents(properties[Events], label);
            (int webhooks, ValueSpan? webhooksSpan) = ReadWebhooks(properties[Webhooks], label);

            if (auth == "basic" && username is not null && host.Host is not null && InstanceUrlRules.IsCloudHost(host.Host) && !LooksLikeEmail(username))
            {
                Report(D.CloudUsernameNotEmail, properties[Username].Value.Span, label.Name, host.Host, MessageText.Quote(username));
            }

            EquatableArray<string> errorIds = ErrorIdsSince(firstDiagnostic);
            AccessorSpec? accessor = null;
            if (nickname is not null)
            {
                // A connection with errors gets an accessor that throws, naming them; it carries none of its values.
                string identifier = Identifiers.FromNickname(nickname);
                accessor = errorIds.Count == 0
                    ? new AccessorSpec(identifier, nickname, username, instanceUrl, token, auth, description, events, webhooks, _fileName, null)
                    : AccessorSpec.Failed(identifier, nickname, auth, description, _fileName, string.Join(", ", errorIds));
            }

            return new ConnectionSpec(ordinal, accessor, instanceUrl, webhooks, _path, nicknameSpan, tokenSpan, webhooksSpan, errorIds);
        }

        /// <summary>
        /// A connection object the file broke off inside of (JCG001): its values may be partial, so none is used, but a
        /// nickname read before the break keeps its accessor, which throws. C# that names the connection still compiles,
        /// and the JSON error is the one the user sees.
        /// </summary>
        private ConnectionSpec? BrokenConnection(JsonValue obj, int ordinal)
        {
            foreach (JsonProperty property in obj.Properties)
            {
                if (property.IndexIn(ConnectionProperties) == Nickname)
                {
                    if (property.Value.Kind != JsonKind.String || NonBlank(property.Value.Text!) is not { } nickname)
                    {
                        return null;
                    }

                    nickname = nickname.Trim();
                    var errors = new[] { D.InvalidJson.Id }.ToEquatableArray();
                    AccessorSpec accessor = AccessorSpec.Failed(Identifiers.FromNickname(nickname), nickname, "basic", null, _fileName, D.InvalidJson.Id);
                    return new ConnectionSpec(ordinal, accessor, null, 0, _path, SpanOf(property.Value), null, null, errors);
                }
            }

            return null;
        }

        /// <summary>The IDs of the errors reported since <paramref name="firstDiagnostic"/>, each once.</summary>
        private EquatableArray<string> ErrorIdsSince(int firstDiagnostic)
        {
            List<string>? ids = null;
            for (int i = firstDiagnostic; i < _diagnostics.Count; i++)
            {
                string id = _diagnostics[i].Descriptor.Id;
                if (_diagnostics[i].IsError && (ids is null || !ids.Contains(id)))
                {
                    (ids ??= new List<string>()).Add(id);
                }
            }

            return ids is null ? EquatableArray<string>.Empty : ids.ToEquatableArray();
        }

        private string ReadAuth(JsonProperty property, Label label)
        {
            if (!property.IsPresent)
            {
                return "basic";
            }

            JsonValue value = property.Value;
            foreach (string kind in AuthKinds)
            {
                if (value.IsString(kind))
                {
                    return kind;
                }
            }

            string? hint = value.Kind == JsonKind.String ? Suggestions.Closest(value.Text!, AuthKinds) : null;
            string written = value.Kind == JsonKind.String ? "\"" + MessageText.Quote(value.Text!) + "\"" : value.KindName;
            Report(D.InvalidAuth, value.Span, label.Where, written, DidYouMean(hint));
            return "basic";
        }

        private string? ReadUsername(JsonProperty property, TextSpan start, Label label, string auth)
        {
            string? username = ExpectString(property, label)?.Trim();
            if (username is { Length: > 0 })
            {
                return username;
            }

            if (auth == "basic" && (!property.IsPresent || property.Value.Kind == JsonKind.String))
            {
                if (property.IsPresent)
                {
                    Report(D.BlankUsername, property.Value.Span, label.Name);
                }
                else
                {
                    Report(D.MissingUsername, start, label.Name, NearMiss(Username));
                }
            }

            return null;
        }

        private (string? Value, InstanceUrlParts Parts) ReadInstanceUrl(JsonProperty property, TextSpan start, Label label)
        {
            if (!property.IsPresent)
            {
                Report(D.MissingInstanceUrl, start, label.Name, NearMiss(InstanceUrl));
                return (null, default);
            }

            string? value = ExpectString(property, label);
            if (value is null)
            {
                return (null, default);
            }

            InstanceUrlProblem problem = InstanceUrlRules.Parse(value, out InstanceUrlParts parts);
            switch (problem)
            {
                case InstanceUrlProblem.None:
                    return (value, parts);
                case InstanceUrlProblem.Blank:
                    Report(D.BlankInstanceUrl, property.Value.Span, label.Name);
                    break;
                case InstanceUrlProblem.Scheme:
                    Report(D.SchemeInInstanceUrl, property.Value.Span, label.Name, InstanceUrlRules.Explain(problem, value));
                    break;
                default:
                    Report(D.InvalidInstanceUrl, property.Value.Span, label.Name, InstanceUrlRules.Explain(problem, value));
                    break;
            }

            return (value, default);
        }

        private (TokenSpec? Token, ValueSpan? Span) ReadApiToken(JsonProperty property, TextSpan start, Label label, string? nickname)
        {
            if (!property.IsPresent)
            {
                Report(D.MissingApiToken, start, label.Name, NearMiss(ApiToken), Identifiers.SuggestVariable(nickname));
                return (null, null);
            }

            JsonValue value = property.Value;
            ValueSpan span = SpanOf(value);
            if (value.Kind == JsonKind.Object && value.Properties.Count == 1)
            {
                // The common case, valid: one source with a name.
                JsonProperties.Enumerator sources = value.Properties.GetEnumerator();
                sources.MoveNext();
                int source = sources.Current.IndexIn(TokenSources);
                if (source >= 0 && sources.Current.Value.Kind == JsonKind.String && NonBlank(sources.Current.Value.Text!) is { } only)
                {
                    return SecretShape.LooksLikeSecret(only)
                        ? (ReportPastedToken(sources.Current, label, nickname), span)
                        : (new TokenSpec(TokenSources[source], only), span);
                }
            }

            string variable = Identifiers.SuggestVariable(nickname);
            switch (value.Kind)
            {
                case JsonKind.Null:
                    Report(D.NullApiToken, value.Span, label.Name, variable);
                    return (null, span);
                case JsonKind.String:
                    Report(D.TokenInFile, value.Span, label.Name, variable, RevokeAdvice(value.Text!));
                    return (null, span);
                case JsonKind.Object:
                    break;
                default:
                    Report(D.ApiTokenNotObject, value.Span, label.Where, variable, value.KindName);
                    return (null, span);
            }

            if (value.Properties.Count == 0)
            {
                Report(D.EmptyApiToken, value.Span, label.Name, variable);
                return (null, span);
            }

            string where = label.Where + ", apiToken";
            var seen = new HashSet<string>(StringComparer.Ordinal);
            TokenSpec? token = null;
            bool reported = false;
            foreach (JsonProperty source in value.Properties)
            {
                if (!seen.Add(source.Name))
                {
                    Report(D.RepeatedSource, source.NameSpan, where, MessageText.Quote(source.Name));
                    reported = true;
                }
                else if (!IsTokenSource(source.Name))
                {
                    Report(D.UnknownSource, source.NameSpan, where, MessageText.Quote(source.Name), DidYouMean(Suggestions.Closest(source.Name, TokenSources)));
                    reported = true;
                }
                else if (source.Value.Kind != JsonKind.String)
                {
                    Report(D.SourceNotString, source.Value.Span, where, source.Name, DescribeSource(source.Name), source.Value.KindName);
                    reported = true;
                }
                else if (source.Value.Text!.Trim().Length == 0)
                {
                    Report(D.BlankSource, source.Value.Span, where, source.Name, DescribeSource(source.Name), source.Name == "config" ? "Jira:Production:ApiToken" : source.Name == "env" ? variable : "/run/secrets/jira_token");
                    reported = true;
                }
                else if (token is not null)
                {
                    Report(D.TwoSources, source.NameSpan, where, token.Value.Source, source.Name);
                    reported = true;
                }
                else if (SecretShape.LooksLikeSecret(source.Value.Text!))
                {
                    ReportPastedToken(source, label, nickname);
                    reported = true;
                }
                else
                {
                    token = new TokenSpec(source.Name, source.Value.Text!);
                }
            }

            if (token is null && !reported)
            {
                Report(D.NoSource, value.Span, where);
            }

            return (reported ? null : token, span);
        }

        /// <summary>
        /// <c> ("instanceURL" is written: did you mean "instanceUrl"?)</c> when an unknown property of the connection being
        /// read is closest to the missing one (by index in <see cref="ConnectionProperties"/>); empty otherwise.
        /// </summary>
        private string NearMiss(int missing)
        {
            if (!_connectionHasProblems)
            {
                return string.Empty;
            }

            string wanted = ConnectionProperties[missing];
            foreach (JsonProperty property in _connection.Properties)
            {
                if (property.IndexIn(ConnectionProperties) < 0 && Suggestions.Closest(property.Name, ConnectionProperties) == wanted)
                {
                    return $" (\"{MessageText.Quote(property.Name)}\" is written: did you mean \"{wanted}\"?)";
                }
            }

            return string.Empty;
        }

        /// <summary>JCG007 at a reference name that looks like a token: the connection keeps none of its values, so it is never emitted.</summary>
        private TokenSpec? ReportPastedToken(JsonProperty source, Label label, string? nickname)
        {
            Report(D.TokenAsName, source.Value.Span, label.Name, source.Name, DescribeSource(source.Name, withArticle: true), Identifiers.SuggestVariable(nickname), RevokeAdvice(source.Value.Text!));
            return null;
        }

        /// <summary>What to do about a token written in the file: for an Atlassian API token, revoke it.</summary>
        private static string RevokeAdvice(string token) => SecretShape.IsAtlassianToken(token)
            ? ". This looks like an Atlassian API token: treat it as leaked, revoke it at https://id.atlassian.com/manage-profile/security/api-tokens and create a new one"
            : string.Empty;

        private bool ReadEvents(JsonProperty property, Label label)
        {
            if (!property.IsPresent)
            {
                return false;
            }

            switch (property.Value.Kind)
            {
                case JsonKind.True:
                    return true;
                case JsonKind.False:
                    return false;
                default:
                    Report(D.InvalidEvents, property.Value.Span, label.Where, property.Value.KindName);
                    return false;
            }
        }

        private (int Value, ValueSpan? Span) ReadWebhooks(JsonProperty property, Label label)
        {
            if (!property.IsPresent)
            {
                return (0, null);
            }

            JsonValue value = property.Value;
            if (value.TryGetSmallCount(out int small))
            {
                return (small, SpanOf(value));
            }

            string? number = value.Text;
            if (value.Kind == JsonKind.Number && TryReadCount(number!, out int count))
            {
                return (count, SpanOf(value));
            }

            string written = value.Kind == JsonKind.Number ? number! : value.KindName;
            Report(D.InvalidWebhooks, value.Span, label.Where, MessageText.Quote(written));
            return (0, null);
        }

        /// <summary>A JSON number that is a non-negative integer (1.0 and 1e2 are); counts past int.MaxValue are capped.</summary>
        private static bool TryReadCount(string number, out int count)
        {
            if (number.Length <= 9 && IsDigits(number))
            {
                count = int.Parse(number, CultureInfo.InvariantCulture);
                return true;
            }

            count = 0;
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ||
                double.IsNaN(value) || double.IsInfinity(value) || value < 0 || Math.Floor(value) != value)
            {
                // An integer too large for double is still an integer: "99...9" overflows to infinity above.
                bool hugeInteger = IsDigits(number);
                count = hugeInteger ? int.MaxValue : 0;
                return hugeInteger;
            }

            count = value >= int.MaxValue ? int.MaxValue : (int)value;
            return true;
        }

        private LocatedValue? ReadTypeName(JsonProperty property, Func<string, string?> explain, string example)
        {
            string? value = ExpectString(property, "The root object");
            if (value is null)
            {
                return null;
            }

            TextSpan span = property.Value.Span;
            string? problem = explain(value);
            if (problem is not null)
            {
                Report(D.InvalidTypeName, span, property.Name, MessageText.Quote(value), problem, example);
                return null;
            }

            return new LocatedValue(value, Locate(property.Value));
        }

        /// <summary>
        /// The first occurrence of each known property, by its index in <paramref name="known"/> (absent
        /// ones are not <see cref="JsonProperty.IsPresent"/>), in one pass that also notices whether any
        /// property is unknown or repeated (<paramref name="hasProblems"/>). When <paramref name="inWhat"/>
        /// is given, those are reported (JCG009, JCG010).
        /// </summary>
        private JsonProperty[] ReadProperties(JsonValue obj, string[] known, string? inWhat, string? where, out bool hasProblems, JsonProperty[]? reuse = null)
        {
            JsonProperty[] first = reuse ?? new JsonProperty[known.Length];
            Array.Clear(first, 0, first.Length);
            hasProblems = false;
            foreach (JsonProperty property in obj.Properties)
            {
                int index = property.IndexIn(known);
                if (index < 0 || first[index].IsPresent)
                {
                    hasProblems = true;
                }
                else
                {
                    first[index] = property;
                }
            }

            if (inWhat is not null && hasProblems)
            {
                ReportPropertyProblems(obj, known, inWhat, where!);
            }

            return first;
        }

        /// <summary>Reports repeated properties (JCG010) and unknown ones (JCG009) of an object.</summary>
        private void ReportPropertyProblems(JsonValue obj, string[] known, string inWhat, string where)
        {
            JsonProperties properties = obj.Properties;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in properties)
            {
                string name = property.Name;
                if (!seen.Add(name))
                {
                    Report(D.RepeatedProperty, property.NameSpan, where, MessageText.Quote(name));
                }
                else if (property.IndexIn(known) < 0)
                {
                    Report(D.UnknownProperty, property.NameSpan, MessageText.Quote(name), inWhat, DidYouMean(Suggestions.Closest(name, known)));
                }
            }
        }

        private string? ExpectString(JsonProperty property, Label label) =>
            !property.IsPresent ? null : property.Value.Kind == JsonKind.String ? property.Value.Text : ExpectString(property, label.Where);

        /// <summary>The property's string value; null when absent, or (reported as JCG010) when it is not a string.</summary>
        private string? ExpectString(JsonProperty property, string where)
        {
            if (!property.IsPresent)
            {
                return null;
            }

            if (property.Value.Kind == JsonKind.String)
            {
                return property.Value.Text;
            }

            Report(D.InvalidValue, property.Value.Span, where, property.Name, property.Value.KindName);
            return null;
        }

        private static bool IsTokenSource(string name) => name == "config" || name == "env" || name == "file";

        private static string? NonBlank(string value) => IsBlank(value) ? null : value;

        private static bool IsBlank(string value)
        {
            foreach (char c in value)
            {
                if (!char.IsWhiteSpace(c))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsDigits(string value)
        {
            if (value.Length == 0)
            {
                return false;
            }

            foreach (char c in value)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>How messages name a connection (<c>'Production'</c>, or <c>#3</c> without a nickname), built only when a message needs it.</summary>
        private sealed class Label
        {
            private string? _nickname;
            private int _ordinal;
            private string? _name;
            private string? _where;

            public Label Reset(string? nickname, int ordinal)
            {
                (_nickname, _ordinal, _name, _where) = (nickname, ordinal, null, null);
                return this;
            }

            public string Name => _name ??= _nickname is null ? "#" + _ordinal.ToString(CultureInfo.InvariantCulture) : "'" + MessageText.Quote(_nickname) + "'";

            public string Where => _where ??= "Connection " + Name;
        }

        private static string DescribeSource(string source, bool withArticle = false) => source switch
        {
            "config" => withArticle ? "an IConfiguration key" : "IConfiguration key",
            "env" => withArticle ? "an environment variable" : "environment variable",
            _ => withArticle ? "a secret file" : "path of the secret file",
        };

        private static string DidYouMean(string? suggestion) => suggestion is null ? string.Empty : $"; did you mean \"{suggestion}\"?";

        private static bool LooksLikeEmail(string username)
        {
            int at = username.LastIndexOf('@');
            if (at <= 0 || at == username.Length - 1)
            {
                return false;
            }

            foreach (char c in username)
            {
                if (char.IsWhiteSpace(c))
                {
                    return false;
                }
            }

            // A dot inside the domain, neither its first nor its last character.
            int dot = username.IndexOf('.', at + 2);
            return dot > 0 && dot < username.Length - 1;
        }


        private static TextSpan First(JsonValue value) => new(value.Span.Start, Math.Min(1, value.Span.Length));

        /// <summary>Where a parsed value is: the parser counted its lines and columns.</summary>
        private LocationInfo Locate(JsonValue value) => new(_path, value.Span, value.LineSpan);

        /// <summary>Where a parsed value is, for a connection to keep (its path is the connection's).</summary>
        private static ValueSpan SpanOf(JsonValue value) => new(value.Span, value.LineSpan);

        /// <summary>Where any other span is (a diagnostic's): the cursor finds its lines and columns.</summary>
        private LocationInfo Locate(TextSpan span) => new(_path, span, new LinePositionSpan(_lines.PositionOf(span.Start), _lines.PositionOf(span.End)));

        private void Report(DiagnosticDescriptor descriptor, TextSpan span, params string[] args) =>
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, Locate(span), args));
    }
}
