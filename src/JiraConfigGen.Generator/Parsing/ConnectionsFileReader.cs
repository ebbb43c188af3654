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
        internal static readonly string[] TokenSources = { "config", "env", "file" };
        internal static readonly string[] AuthKinds = { "basic", "bearer" };
        private const string AtlassianTokenPrefix = "ATATT";

        private readonly string _path;
        private readonly SourceText _text;
        private readonly CancellationToken _cancellationToken;
        private readonly ImmutableArray<DiagnosticInfo>.Builder _diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();

        private ConnectionsFileReader(string path, SourceText text, CancellationToken cancellationToken)
        {
            _path = path;
            _text = text;
            _cancellationToken = cancellationToken;
        }

        /// <summary>Reads the file; never throws, except to honour cancellation.</summary>
        public static FileSpec Read(string path, SourceText text, CancellationToken cancellationToken = default)
        {
            try
            {
                return new ConnectionsFileReader(path, text, cancellationToken).Read();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A safety net, never expected to catch: a generator that throws gives the user only a
                // CS8785 warning and no accessors. The message names the exception type, never content.
                return Failed(path, $"JiraConfigGen could not read this file (internal error {exception.GetType().Name}); please report it with the file's shape, without its secrets");
            }
        }

        /// <summary>A file the compiler could not give the text of.</summary>
        public static FileSpec Unreadable(string path) =>
            Failed(path, "The file could not be read; check that it exists and is readable");

        private static FileSpec Failed(string path, string message)
        {
            var location = new LocationInfo(path, default, default);
            return new FileSpec(path, null, null, EquatableArray<ConnectionSpec>.Empty, new[] { DiagnosticInfo.Create(D.InvalidJson, location, message) }.ToEquatableArray());
        }

        private FileSpec Read()
        {
            JsonParseResult parsed = JsonParser.Parse(_text.ToString(), _cancellationToken);
            if (parsed.Error is { } error)
            {
                Report(D.InvalidJson, error.Span, error.Message);
            }

            LocatedValue? ns = null;
            LocatedValue? className = null;
            var connections = ImmutableArray.CreateBuilder<ConnectionSpec>();

            JsonValue? root = parsed.Root;
            if (root is not null && root.Kind != JsonKind.Object)
            {
                Report(D.InvalidJson, First(root), $"The file's root is {root.KindName}; it must be an object such as {{ \"connections\": [ ... ] }}");
            }
            else if (root is not null)
            {
                Dictionary<string, JsonProperty> properties = ReadProperties(root, RootProperties, "the root object", "The root object");
                ExpectString(properties, "$schema", "The root object");
                ns = ReadTypeName(properties, "namespace", Identifiers.ExplainInvalidNamespace, "a namespace, e.g. \"Contoso.Integrations\"");
                className = ReadTypeName(properties, "className", Identifiers.ExplainInvalidClassName, "a class name, e.g. \"JiraConnections\"");
                ReadConnections(root, properties, connections);
            }

            IEnumerable<DiagnosticInfo> ordered = _diagnostics.OrderBy(d => d.Location?.Span.Start ?? -1);
            return new FileSpec(_path, ns, className, connections.ToEquatableArray(), ordered.ToEquatableArray());
        }

        private void ReadConnections(JsonValue root, Dictionary<string, JsonProperty> properties, ImmutableArray<ConnectionSpec>.Builder connections)
        {
            if (!properties.TryGetValue("connections", out JsonProperty? property))
            {
                if (root.IsComplete)
                {
                    Report(D.NoConnections, First(root), FileName);
                }

                return;
            }

            JsonValue array = property.Value;
            if (array.Kind != JsonKind.Array)
            {
                Report(D.InvalidJson, array.Span, $"\"connections\" is {array.KindName}; it must be an array of connection objects: \"connections\": [ {{ ... }} ]");
                return;
            }

            if (array.Items.Count == 0 && array.IsComplete)
            {
                Report(D.NoConnections, First(array), FileName);
            }

            for (int i = 0; i < array.Items.Count; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                JsonValue item = array.Items[i];
                if (item.Kind != JsonKind.Object)
                {
                    Report(D.InvalidValue, item.Span, $"Connection #{i + 1}", $"each item of \"connections\" must be an object with a nickname, an instanceUrl and an apiToken, not {item.KindName}");
                }
                else if (item.IsComplete)
                {
                    // An object the file broke off inside of is left out: its values may be partial.
                    connections.Add(ReadConnection(item, i + 1));
                }
            }
        }

        private ConnectionSpec ReadConnection(JsonValue obj, int ordinal)
        {
            int firstDiagnostic = _diagnostics.Count;
            var start = First(obj);

            // The nickname first: every other message names the connection by it.
            JsonProperty? nicknameProperty = obj.Properties.FirstOrDefault(p => p.Name == "nickname");
            string? nickname = nicknameProperty?.Value is { Kind: JsonKind.String, Text: { } text } && text.Trim().Length > 0 ? text.Trim() : null;
            string name = nickname is null ? "#" + ordinal.ToString(CultureInfo.InvariantCulture) : "'" + MessageText.Quote(nickname) + "'";
            string where = "Connection " + name;

            Dictionary<string, JsonProperty> properties = ReadProperties(obj, ConnectionProperties, "connection " + name, where);

            if (nicknameProperty is null)
            {
                Report(D.MissingRequiredValue, start, name, "has no nickname; add \"nickname\" with a unique name such as \"Production\"");
            }
            else if (ExpectString(properties, "nickname", where) is not null && nickname is null)
            {
                Report(D.MissingRequiredValue, nicknameProperty.Value.Span, name, "has a blank nickname; write a unique name such as \"Production\"");
            }

            string auth = ReadAuth(properties, where);
            string? username = ReadUsername(properties, start, name, auth);
            (string? instanceUrl, InstanceUrlParts host) = ReadInstanceUrl(properties, start, name);
            (TokenSpec? token, LocationInfo? tokenLocation) = ReadApiToken(properties, start, name, nickname);
            string? description = ExpectString(properties, "description", where);
            bool events = ReadEvents(properties, where);
            (int webhooks, LocationInfo? webhooksLocation) = ReadWebhooks(properties, where);

            if (auth == "basic" && username is not null && host.Host is not null && InstanceUrlRules.IsCloudHost(host.Host) && !LooksLikeEmail(username))
            {
                Report(D.CloudUsernameNotEmail, properties["username"].Value.Span, name, host.Host, MessageText.Quote(username));
            }

            var errorIds = new List<string>();
            for (int i = firstDiagnostic; i < _diagnostics.Count; i++)
            {
                if (_diagnostics[i].IsError && !errorIds.Contains(_diagnostics[i].Descriptor.Id))
                {
                    errorIds.Add(_diagnostics[i].Descriptor.Id);
                }
            }

            return new ConnectionSpec(
                ordinal,
                nickname,
                nickname is null ? string.Empty : Identifiers.FromNickname(nickname),
                Locate(start),
                nicknameProperty is null ? null : Locate(nicknameProperty.Value.Span),
                username,
                instanceUrl,
                token,
                tokenLocation,
                auth,
                description,
                events,
                webhooks,
                webhooksLocation,
                errorIds.ToEquatableArray());
        }

        private string ReadAuth(Dictionary<string, JsonProperty> properties, string where)
        {
            if (!properties.TryGetValue("auth", out JsonProperty? property))
            {
                return "basic";
            }

            JsonValue value = property.Value;
            if (value.Kind == JsonKind.String && AuthKinds.Contains(value.Text))
            {
                return value.Text!;
            }

            string? hint = value.Kind == JsonKind.String ? Suggestions.Closest(value.Text!, AuthKinds) : null;
            string written = value.Kind == JsonKind.String ? "\"" + MessageText.Quote(value.Text!) + "\"" : value.KindName;
            Report(D.InvalidValue, value.Span, where, $"\"auth\" must be \"basic\" (email address and API token) or \"bearer\" (Data Center personal access token), not {written}{DidYouMean(hint)}");
            return "basic";
        }

        private string? ReadUsername(Dictionary<string, JsonProperty> properties, TextSpan start, string name, string auth)
        {
            properties.TryGetValue("username", out JsonProperty? property);
            string? username = ExpectString(properties, "username", "Connection " + name)?.Trim();
            if (username is { Length: > 0 })
            {
                return username;
            }

            if (auth == "basic" && (property is null || property.Value.Kind == JsonKind.String))
            {
                string problem = property is null ? "has no username" : "has a blank username";
                Report(D.MissingRequiredValue, property?.Value.Span ?? start, name, problem + " but uses basic authentication; add the account's email address as \"username\", or set \"auth\": \"bearer\" for a Data Center personal access token");
            }

            return null;
        }

        private (string? Value, InstanceUrlParts Parts) ReadInstanceUrl(Dictionary<string, JsonProperty> properties, TextSpan start, string name)
        {
            if (!properties.TryGetValue("instanceUrl", out JsonProperty? property))
            {
                Report(D.MissingRequiredValue, start, name, "has no instanceUrl; add the Jira host, e.g. \"instanceUrl\": \"contoso.atlassian.net\"");
                return (null, default);
            }

            string? value = ExpectString(properties, "instanceUrl", "Connection " + name);
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
                    Report(D.MissingRequiredValue, property.Value.Span, name, "has a blank instanceUrl; write the Jira host, e.g. \"contoso.atlassian.net\"");
                    break;
                case InstanceUrlProblem.Scheme:
                    Report(D.SchemeInInstanceUrl, property.Value.Span, name, InstanceUrlRules.Explain(problem, value));
                    break;
                default:
                    Report(D.InvalidInstanceUrl, property.Value.Span, name, InstanceUrlRules.Explain(problem, value));
                    break;
            }

            return (value, default);
        }

        private (TokenSpec? Token, LocationInfo? Location) ReadApiToken(Dictionary<string, JsonProperty> properties, TextSpan start, string name, string? nickname)
        {
            string variable = Identifiers.SuggestVariable(nickname);
            if (!properties.TryGetValue("apiToken", out JsonProperty? property))
            {
                Report(D.MissingApiToken, start, name, "has no apiToken", variable);
                return (null, null);
            }

            JsonValue value = property.Value;
            LocationInfo location = Locate(value.Span);
            switch (value.Kind)
            {
                case JsonKind.Null:
                    Report(D.MissingApiToken, value.Span, name, "has a null apiToken", variable);
                    return (null, location);
                case JsonKind.String:
                    string revoke = value.Text!.Trim().StartsWith(AtlassianTokenPrefix, StringComparison.Ordinal)
                        ? ". This looks like an Atlassian API token: treat it as leaked, revoke it at https://id.atlassian.com/manage-profile/security/api-tokens and create a new one"
                        : string.Empty;
                    Report(D.TokenInFile, value.Span, name, variable, revoke);
                    return (null, location);
                case JsonKind.Object:
                    break;
                default:
                    Report(D.InvalidValue, value.Span, "Connection " + name, $"\"apiToken\" must be an object naming where the token lives, e.g. {{ \"env\": \"{variable}\" }}, not {value.KindName}");
                    return (null, location);
            }

            if (value.Properties.Count == 0)
            {
                Report(D.MissingApiToken, value.Span, name, "has an empty apiToken object", variable);
                return (null, location);
            }

            string where = "Connection " + name + ", apiToken";
            var seen = new HashSet<string>(StringComparer.Ordinal);
            TokenSpec? token = null;
            bool reported = false;
            foreach (JsonProperty source in value.Properties)
            {
                if (!seen.Add(source.Name))
                {
                    Report(D.InvalidValue, source.NameSpan, where, $"\"{MessageText.Quote(source.Name)}\" is repeated; remove one");
                    reported = true;
                }
                else if (!TokenSources.Contains(source.Name))
                {
                    Report(D.InvalidValue, source.NameSpan, where, $"\"{MessageText.Quote(source.Name)}\" is not a token source; use exactly one of \"config\" (an IConfiguration key), \"env\" (an environment variable) or \"file\" (a secret file){DidYouMean(Suggestions.Closest(source.Name, TokenSources))}");
                    reported = true;
                }
                else if (source.Value.Kind != JsonKind.String)
                {
                    Report(D.InvalidValue, source.Value.Span, where, $"\"{source.Name}\" must be a string naming the {DescribeSource(source.Name)}, not {source.Value.KindName}");
                    reported = true;
                }
                else if (source.Value.Text!.Trim().Length == 0)
                {
                    Report(D.InvalidValue, source.Value.Span, where, $"\"{source.Name}\" is blank; write the {DescribeSource(source.Name)}, e.g. \"{(source.Name == "config" ? "Jira:Production:ApiToken" : source.Name == "env" ? variable : "/run/secrets/jira_token")}\"");
                    reported = true;
                }
                else if (token is not null)
                {
                    Report(D.InvalidValue, source.NameSpan, where, $"it names both \"{token.Source}\" and \"{source.Name}\"; a token lives in exactly one place, keep one");
                    reported = true;
                }
                else
                {
                    token = new TokenSpec(source.Name, source.Value.Text!);
                }
            }

            if (token is null && !reported)
            {
                Report(D.InvalidValue, value.Span, where, "it names no token source; use exactly one of \"config\", \"env\" or \"file\"");
            }

            return (reported ? null : token, location);
        }

        private bool ReadEvents(Dictionary<string, JsonProperty> properties, string where)
        {
            if (!properties.TryGetValue("events", out JsonProperty? property))
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
                    Report(D.InvalidValue, property.Value.Span, where, $"\"events\" must be true or false, not {property.Value.KindName}");
                    return false;
            }
        }

        private (int Value, LocationInfo? Location) ReadWebhooks(Dictionary<string, JsonProperty> properties, string where)
        {
            if (!properties.TryGetValue("webhooks", out JsonProperty? property))
            {
                return (0, null);
            }

            JsonValue value = property.Value;
            if (value.Kind == JsonKind.Number && TryReadCount(value.Text!, out int count))
            {
                return (count, Locate(value.Span));
            }

            string written = value.Kind == JsonKind.Number ? value.Text! : value.KindName;
            Report(D.InvalidValue, value.Span, where, $"\"webhooks\" must be a whole number of admin webhooks, 0 or more, not {MessageText.Quote(written)}");
            return (0, null);
        }

        /// <summary>A JSON number that is a non-negative integer (1.0 and 1e2 are); counts past int.MaxValue are capped.</summary>
        private static bool TryReadCount(string number, out int count)
        {
            count = 0;
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ||
                double.IsNaN(value) || double.IsInfinity(value) || value < 0 || Math.Floor(value) != value)
            {
                // An integer too large for double is still an integer: "99...9" overflows to infinity above.
                bool hugeInteger = number.All(c => c >= '0' && c <= '9');
                count = hugeInteger ? int.MaxValue : 0;
                return hugeInteger;
            }

            count = value >= int.MaxValue ? int.MaxValue : (int)value;
            return true;
        }

        private LocatedValue? ReadTypeName(Dictionary<string, JsonProperty> properties, string property, Func<string, string?> explain, string example)
        {
            string? value = ExpectString(properties, property, "The root object");
            if (value is null)
            {
                return null;
            }

            TextSpan span = properties[property].Value.Span;
            string? problem = explain(value);
            if (problem is not null)
            {
                Report(D.InvalidTypeName, span, $"\"{property}\" '{MessageText.Quote(value)}' cannot be used: {problem}; write {example}, or remove it to use the default");
                return null;
            }

            return new LocatedValue(value, Locate(span));
        }

        /// <summary>
        /// The first occurrence of each property. Reports repeats (JCG010) and, for names not in
        /// <paramref name="known"/>, unknown properties (JCG009) with the closest known name.
        /// </summary>
        private Dictionary<string, JsonProperty> ReadProperties(JsonValue obj, string[] known, string inWhat, string where)
        {
            var first = new Dictionary<string, JsonProperty>(StringComparer.Ordinal);
            foreach (JsonProperty property in obj.Properties)
            {
                if (first.ContainsKey(property.Name))
                {
                    Report(D.InvalidValue, property.NameSpan, where, $"\"{MessageText.Quote(property.Name)}\" is repeated; the first value is used, remove this one");
                    continue;
                }

                first.Add(property.Name, property);
                if (!known.Contains(property.Name))
                {
                    Report(D.UnknownProperty, property.NameSpan, MessageText.Quote(property.Name), inWhat, DidYouMean(Suggestions.Closest(property.Name, known)));
                }
            }

            return first;
        }

        /// <summary>The property's string value; null when absent, or (reported as JCG010) when it is not a string.</summary>
        private string? ExpectString(Dictionary<string, JsonProperty> properties, string name, string where)
        {
            if (!properties.TryGetValue(name, out JsonProperty? property))
            {
                return null;
            }

            if (property.Value.Kind == JsonKind.String)
            {
                return property.Value.Text;
            }

            Report(D.InvalidValue, property.Value.Span, where, $"\"{name}\" must be a string, not {property.Value.KindName}");
            return null;
        }

        private static string DescribeSource(string source) => source switch
        {
            "config" => "IConfiguration key",
            "env" => "environment variable",
            _ => "path of the secret file",
        };

        private static string DidYouMean(string? suggestion) => suggestion is null ? string.Empty : $"; did you mean \"{suggestion}\"?";

        private static bool LooksLikeEmail(string username)
        {
            int at = username.LastIndexOf('@');
            if (at <= 0 || at == username.Length - 1 || username.Any(char.IsWhiteSpace))
            {
                return false;
            }

            int dot = username.IndexOf('.', at + 1);
            return dot > at + 1 && dot < username.Length - 1;
        }

        private string FileName => System.IO.Path.GetFileName(_path);

        private static TextSpan First(JsonValue value) => new(value.Span.Start, Math.Min(1, value.Span.Length));

        private LocationInfo Locate(TextSpan span) => new(_path, span, _text.Lines.GetLinePositionSpan(span));

        private void Report(DiagnosticDescriptor descriptor, TextSpan span, params string[] args) =>
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, Locate(span), args));
    }
}
