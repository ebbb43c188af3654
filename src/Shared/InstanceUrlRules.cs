// The one definition of a valid instanceUrl ("host[:port][/context-path]", no scheme).
// Linked into the generator (which reports JCG003 / JCG005 / JCG006 from it) and the runtime
// (whose JiraConnection constructor checks the same rules), so the two can never disagree.
using System;
using System.Net;
using System.Net.Sockets;

namespace JiraConfigGen.Shared
{
    /// <summary>What is wrong with an instance URL, most specific first.</summary>
    internal enum InstanceUrlProblem
    {
        None,
        Blank,
        Scheme,
        Whitespace,
        UserInfo,
        Query,
        Fragment,
        TrailingSlash,
        EmptyHost,
        InvalidHost,
        InvalidPort,
        RestPath,
        InvalidPath,
        PercentEncoded,
    }

    /// <summary>The parts of a valid instance URL.</summary>
    internal readonly struct InstanceUrlParts
    {
        public InstanceUrlParts(string host, int? port, string path, bool isLoopback)
        {
            Host = host;
            Port = port;
            Path = path;
            IsLoopback = isLoopback;
        }

        /// <summary>Host name, IPv4 address, or bracketed IPv6 address (<c>[::1]</c>).</summary>
        public string Host { get; }

        /// <summary>The explicit port, if any.</summary>
        public int? Port { get; }

        /// <summary>The context path without a trailing slash (<c>/jira</c>), or empty.</summary>
        public string Path { get; }

        /// <summary><c>localhost</c>, <c>127.0.0.0/8</c> or <c>[::1]</c>: reached over plain HTTP.</summary>
        public bool IsLoopback { get; }
    }

    internal static class InstanceUrlRules
    {
        private const int MaxHostLength = 253;
        private const int MaxLabelLength = 63;
        private static readonly char[] QueryOrFragment = { '?', '#' };
        private static readonly string[] CloudHostSuffixes = { ".atlassian.net", ".jira.com" };

        /// <summary>Checks <paramref name="value"/> and splits it into its parts.</summary>
        public static InstanceUrlProblem Parse(string? value, out InstanceUrlParts parts)
        {
            parts = default;
            if (value is not null && IsPlainHost(value))
            {
                // The usual value ("contoso.atlassian.net"): only a host, so there is no scheme,
                // user-info, port, path, query or fragment to look for.
                if (!IsHostName(value))
                {
                    return InstanceUrlProblem.InvalidHost;
                }

                parts = new InstanceUrlParts(value, null, string.Empty, IsLoopbackHost(value));
                return InstanceUrlProblem.None;
            }

            if (value is null || IsBlank(value))
            {
                return InstanceUrlProblem.Blank;
            }

            if (SchemeLength(value) > 0)
            {
                return InstanceUrlProblem.Scheme;
            }

            foreach (char c in value)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    return InstanceUrlProblem.Whitespace;
                }
            }

            if (value.IndexOf('@') >= 0)
            {
                return InstanceUrlProblem.UserInfo;
            }

            if (value.IndexOf('?') >= 0)
            {
                return InstanceUrlProblem.Query;
            }

            if (value.IndexOf('#') >= 0)
            {
                return InstanceUrlProblem.Fragment;
            }

            if (value[value.Length - 1] == '/')
            {
                return InstanceUrlProblem.TrailingSlash;
            }

            int slash = value.IndexOf('/');
            string authority = slash < 0 ? value : value.Substring(0, slash);
            string path = slash < 0 ? string.Empty : value.Substring(slash);

            InstanceUrlProblem authorityProblem = ParseAuthority(authority, out string host, out int? port, out bool isLoopback);
            if (authorityProblem != InstanceUrlProblem.None)
            {
                return authorityProblem;
            }

            InstanceUrlProblem pathProblem = CheckPath(path);
            if (pathProblem != InstanceUrlProblem.None)
            {
                return pathProblem;
            }

            parts = new InstanceUrlParts(host, port, path, isLoopback);
            return InstanceUrlProblem.None;
        }

        /// <summary>
        /// The length of a leading <c>name://</c> (after leading whitespace), or 0 when there is none.
        /// </summary>
        public static int SchemeLength(string value)
        {
            int start = 0;
            while (start < value.Length && char.IsWhiteSpace(value[start]))
            {
                start++;
            }

            int i = start;
            if (i >= value.Length || !IsAsciiLetter(value[i]))
            {
                return 0;
            }

            while (i < value.Length && (IsAsciiLetterOrDigit(value[i]) || value[i] == '+' || value[i] == '-' || value[i] == '.'))
            {
                i++;
            }

            return string.CompareOrdinal(value, i, "://", 0, 3) == 0 ? i + 3 : 0;
        }

        /// <summary>
        /// What the user most likely meant: the value without scheme, user-info, query, fragment and
        /// trailing slashes. Never contains the user-info (which may hold a password) or the query.
        /// </summary>
        public static string Suggest(string value)
        {
            string rest = value.Trim();
            rest = rest.Substring(SchemeLength(rest));
            int cut = rest.IndexOfAny(QueryOrFragment);
            if (cut >= 0)
            {
                rest = rest.Substring(0, cut);
            }

            int slash = rest.IndexOf('/');
            string authority = slash < 0 ? rest : rest.Substring(0, slash);
            int at = authority.LastIndexOf('@');
            if (at >= 0)
            {
                rest = rest.Substring(at + 1);
            }

            return rest.TrimEnd('/');
        }

        /// <summary>An Atlassian Cloud host: <c>*.atlassian.net</c> or <c>*.jira.com</c>.</summary>
        public static bool IsCloudHost(string host)
        {
            foreach (string suffix in CloudHostSuffixes)
            {
                if (host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary><c>localhost</c>, an IPv4 address in 127.0.0.0/8, <c>[::1]</c>, or an IPv4-mapped IPv6 address in 127.0.0.0/8 (<c>[::ffff:127.0.0.1]</c>).</summary>
        public static bool IsLoopbackHost(string host)
        {
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (host.Length > 2 && host[0] == '[')
            {
                // Every framework agrees on a mapped address only once it is mapped back.
                return IPAddress.TryParse(host.Substring(1, host.Length - 2), out IPAddress? v6) &&
                    IPAddress.IsLoopback(v6.IsIPv4MappedToIPv6 ? v6.MapToIPv4() : v6);
            }

            // Only an IPv4 address can be loopback now, and it starts with a digit (host names rarely do).
            return host.Length > 0 && host[0] >= '0' && host[0] <= '9' &&
                IPAddress.TryParse(host, out IPAddress? v4) && v4.AddressFamily == AddressFamily.InterNetwork && IPAddress.IsLoopback(v4);
        }

        /// <summary>
        /// Says what is wrong with <paramref name="value"/> and how to fix it, in one sentence that
        /// never repeats user-info or a query (where a password or token could hide).
        /// </summary>
        public static string Explain(InstanceUrlProblem problem, string? value)
        {
            value ??= string.Empty;
            string suggestion = Suggest(value);
            bool suggestionIsValid = suggestion.Length > 0 && Parse(suggestion, out _) == InstanceUrlProblem.None;
            string fix = suggestionIsValid ? "; write '" + suggestion + "'" : string.Empty;
            switch (problem)
            {
                case InstanceUrlProblem.None:
                    return "instanceUrl is valid";
                case InstanceUrlProblem.Blank:
                    return "instanceUrl is empty; write the Jira host, e.g. 'contoso.atlassian.net'";
                case InstanceUrlProblem.Scheme:
                    return "instanceUrl must not include '" + value.Trim().Substring(0, SchemeLength(value.Trim())) + "'" + (suggestionIsValid ? fix : "; write only host[:port][/context-path]");
                case InstanceUrlProblem.Whitespace:
                    return "instanceUrl must not contain whitespace or control characters" + fix;
                case InstanceUrlProblem.UserInfo:
                    return "instanceUrl must not contain a user name or password before '@'; put the account in \"username\" and the token reference in \"apiToken\"" + fix;
                case InstanceUrlProblem.Query:
                    return "instanceUrl must not contain a query ('?...')" + fix;
                case InstanceUrlProblem.Fragment:
                    return "instanceUrl must not contain a fragment ('#...')" + fix;
                case InstanceUrlProblem.TrailingSlash:
                    return "instanceUrl must not end with '/'" + fix;
                case InstanceUrlProblem.EmptyHost:
                    return "instanceUrl has no host; write host[:port][/context-path], e.g. 'contoso.atlassian.net' or 'jira.example.com:8443/jira'";
                case InstanceUrlProblem.InvalidHost:
                    return "'" + MessageText.Quote(HostPart(value)) + "' is not a valid host: use a DNS name of letters, digits, '-' and '.' (IDN names in their xn-- form), an IPv4 address, or an IPv6 address in brackets";
                case InstanceUrlProblem.InvalidPort:
                    return "the port of instanceUrl must be a number from 1 to 65535 without leading zeros";
                case InstanceUrlProblem.RestPath:
                    return "instanceUrl must stop before the REST path '/rest/...': the client adds it" + RestFix(value);
                case InstanceUrlProblem.PercentEncoded:
                    return "the context path of instanceUrl must not be percent-encoded (a Jira context path is a plain name, and an escape can hide '/rest' or '..')" + DecodedFix(value);
                default:
                    return "the context path of instanceUrl has an empty, '.' or '..' segment, or a character that is not allowed in a URL path";
            }
        }

        /// <summary>The value with its path's escapes decoded, as a fix when that is valid, or what is wrong with it when not.</summary>
        private static string DecodedFix(string value)
        {
            string trimmed = value.Trim();
            int slash = trimmed.IndexOf('/');
            string decoded = slash < 0 ? trimmed : trimmed.Substring(0, slash) + Uri.UnescapeDataString(trimmed.Substring(slash));
            InstanceUrlProblem problem = Parse(decoded, out _);
            return problem switch
            {
                InstanceUrlProblem.None => "; write '" + decoded + "'",
                InstanceUrlProblem.PercentEncoded => string.Empty,
                _ => "; decoded, it is '" + MessageText.Quote(decoded) + "', and " + Explain(problem, decoded),
            };
        }

        private static string RestFix(string value)
        {
            string[] segments = value.Split('/');
            int rest = Array.FindIndex(segments, s => string.Equals(s, "rest", StringComparison.OrdinalIgnoreCase));
            string before = string.Join("/", segments, 0, Math.Max(rest, 0));
            return rest > 0 && Parse(before, out _) == InstanceUrlProblem.None ? "; write '" + before + "'" : string.Empty;
        }

        private static string HostPart(string value)
        {
            int slash = value.IndexOf('/');
            string authority = slash < 0 ? value : value.Substring(0, slash);
            if (authority.StartsWith("[", StringComparison.Ordinal))
            {
                int close = authority.IndexOf(']');
                return close < 0 ? authority : authority.Substring(0, close + 1);
            }

            int colon = authority.IndexOf(':');
            return colon < 0 || authority.IndexOf(':', colon + 1) >= 0 ? authority : authority.Substring(0, colon);
        }

        private static InstanceUrlProblem ParseAuthority(string authority, out string host, out int? port, out bool isLoopback)
        {
            host = string.Empty;
            port = null;
            isLoopback = false;
            string? portText = null;

            if (authority.Length > 0 && authority[0] == '[')
            {
                int close = authority.IndexOf(']');
                if (close < 0)
                {
                    return InstanceUrlProblem.InvalidHost;
                }

                host = authority.Substring(0, close + 1);
                string after = authority.Substring(close + 1);
                if (after.Length > 0)
                {
                    if (after[0] != ':')
                    {
                        return InstanceUrlProblem.InvalidHost;
                    }

                    portText = after.Substring(1);
                }

                if (!IsIPv6Literal(host.Substring(1, host.Length - 2)))
                {
                    return InstanceUrlProblem.InvalidHost;
                }
            }
            else
            {
                int colon = authority.IndexOf(':');
                if (colon >= 0)
                {
                    if (authority.IndexOf(':', colon + 1) >= 0)
                    {
                        // More than one ':' outside brackets: an unbracketed IPv6 address or garbage.
                        host = authority;
                        return InstanceUrlProblem.InvalidHost;
                    }

                    host = authority.Substring(0, colon);
                    portText = authority.Substring(colon + 1);
                }
                else
                {
                    host = authority;
                }

                if (host.Length == 0)
                {
                    return InstanceUrlProblem.EmptyHost;
                }

                if (!IsHostName(host))
                {
                    return InstanceUrlProblem.InvalidHost;
                }
            }

            if (portText is not null)
            {
                if (!TryParsePort(portText, out int p))
                {
                    return InstanceUrlProblem.InvalidPort;
                }

                port = p;
            }

            isLoopback = IsLoopbackHost(host);
            return InstanceUrlProblem.None;
        }

        /// <summary>Not empty, and only ASCII letters, digits, '-' and '.'.</summary>
        private static bool IsPlainHost(string value)
        {
            foreach (char c in value)
            {
                if (!IsAsciiLetterOrDigit(c) && c != '-' && c != '.')
                {
                    return false;
                }
            }

            return value.Length > 0;
        }

        /// <summary>A DNS host name of ASCII labels, or a dotted IPv4 address.</summary>
        public static bool IsHostName(string host)
        {
            if (host.Length > MaxHostLength)
            {
                return false;
            }

            int labelStart = 0;
            bool lastLabelNumeric = false;
            int labels = 0;
            for (int i = 0; i <= host.Length; i++)
            {
                if (i < host.Length && host[i] != '.')
                {
                    char c = host[i];
                    if (!IsAsciiLetterOrDigit(c) && c != '-')
                    {
                        return false;
                    }

                    continue;
                }

                int length = i - labelStart;
                if (length == 0 || length > MaxLabelLength || host[labelStart] == '-' || host[i - 1] == '-')
                {
                    return false;
                }

                lastLabelNumeric = IsAllDigits(host, labelStart, length);
                labels++;
                labelStart = i + 1;
            }

            // A name whose last label is a number must be an IPv4 address (a TLD is never numeric).
            return !lastLabelNumeric || IsIPv4(host, labels);
        }

        private static bool IsIPv4(string host, int labels)
        {
            if (labels != 4)
            {
                return false;
            }

            foreach (string octet in host.Split('.'))
            {
                if (!IsAllDigits(octet, 0, octet.Length) || octet.Length > 3 || (octet.Length > 1 && octet[0] == '0') || int.Parse(octet, System.Globalization.CultureInfo.InvariantCulture) > 255)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsIPv6Literal(string text)
        {
            if (text.Length == 0 || text.IndexOf(':') < 0)
            {
                return false;
            }

            foreach (char c in text)
            {
                if (!(IsHexDigit(c) || c == ':' || c == '.'))
                {
                    return false;
                }
            }

            return IPAddress.TryParse(text, out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        private static bool TryParsePort(string text, out int port)
        {
            port = 0;
            if (text.Length == 0 || text.Length > 5 || text[0] == '0' || !IsAllDigits(text, 0, text.Length))
            {
                return false;
            }

            port = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            return port <= 65535;
        }

        private static InstanceUrlProblem CheckPath(string path)
        {
            if (path.Length == 0)
            {
                return InstanceUrlProblem.None;
            }

            string[] segments = path.Substring(1).Split('/');
            foreach (string segment in segments)
            {
                // The REST API lives under the context path: "/rest" anywhere is the API, not the instance.
                if (string.Equals(segment, "rest", StringComparison.OrdinalIgnoreCase))
                {
                    return InstanceUrlProblem.RestPath;
                }
            }

            foreach (string segment in segments)
            {
                if (segment.Length == 0 || segment == "." || segment == "..")
                {
                    return InstanceUrlProblem.InvalidPath;
                }

                for (int i = 0; i < segment.Length; i++)
                {
                    char c = segment[i];
                    if (c == '%')
                    {
                        return i + 2 < segment.Length && IsHexDigit(segment[i + 1]) && IsHexDigit(segment[i + 2])
                            ? InstanceUrlProblem.PercentEncoded
                            : InstanceUrlProblem.InvalidPath;
                    }

                    if (!IsPathChar(c))
                    {
                        return InstanceUrlProblem.InvalidPath;
                    }
                }
            }

            return InstanceUrlProblem.None;
        }

        // RFC 3986 pchar without '%' (no escapes: see above), '@' (reported as user-info) and ':' (ambiguous).
        private static bool IsPathChar(char c) =>
            IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=';

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

        private static bool IsAllDigits(string s, int start, int length)
        {
            if (length == 0)
            {
                return false;
            }

            for (int i = start; i < start + length; i++)
            {
                if (s[i] < '0' || s[i] > '9')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

        private static bool IsAsciiLetterOrDigit(char c) => IsAsciiLetter(c) || (c >= '0' && c <= '9');

        private static bool IsHexDigit(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
