// The one definition of "the same Jira instance", "the same Jira account" and "the same token reference".
// Linked into the generator (JCG011 and JCG012 group connections by it) and the runtime (JiraAccount:
// the lockout guard's one state per account, and the Redis store's keys), so that one Jira written two
// ways never gets two failed-login budgets at run time, nor escapes a warning at build time.
using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace JiraConfigGen.Shared
{
    internal static class JiraIdentity
    {
        /// <summary>
        /// The canonical form of an instance (<c>host[:port][/context-path]</c>), equal for every spelling of one
        /// Jira: the host in lower case without a trailing dot; an IP literal as its address (every spelling of
        /// one IPv6 address is one host, and an IPv4-mapped IPv6 address is its IPv4 address); the port left out
        /// when it is the scheme's default (443 for https, 80 for http, which only loopback hosts use); the
        /// context path without trailing slashes, percent-escapes of unreserved characters decoded and the others
        /// in upper case. The path keeps its case: two context paths on one server can be two Jiras.
        /// Total: a value that breaks the instanceUrl rules still gets a key.
        /// </summary>
        public static string InstanceKey(string? instanceUrl)
        {
            if (instanceUrl is null)
            {
                return string.Empty;
            }

            if (IsCanonicalHostName(instanceUrl))
            {
                return instanceUrl; // the usual value: "contoso.atlassian.net"
            }

            string value = instanceUrl.Trim();
            int slash = value.IndexOf('/');
            string authority = slash < 0 ? value : value.Substring(0, slash);
            string path = slash < 0 ? string.Empty : value.Substring(slash);

            SplitAuthority(authority, out string host, out string? port);
            host = CanonicalHost(host);
            int defaultPort = InstanceUrlRules.IsLoopbackHost(host) ? 80 : 443;
            port = CanonicalPort(port, defaultPort);
            return host + (port is null ? string.Empty : ":" + port) + CanonicalPath(path);
        }

        /// <summary>The user name as accounts compare it: trimmed, case-insensitive (upper-cased, invariant).</summary>
        public static string UsernameKey(string? username) => (username ?? string.Empty).Trim().ToUpperInvariant();

        /// <summary>The account: <see cref="InstanceKey"/>, a bar, and <see cref="UsernameKey"/>. Equal keys are one account.</summary>
        public static string AccountKey(string? instanceUrl, string? username) => InstanceKey(instanceUrl) + "|" + UsernameKey(username);

        /// <summary>Whether two user names are one account's (on one instance).</summary>
        public static bool SameUsername(string? a, string? b) => string.Equals(UsernameKey(a), UsernameKey(b), StringComparison.Ordinal);

        /// <summary>
        /// How the names of two token references of one source compare: configuration keys case-insensitively
        /// (as Microsoft.Extensions.Configuration reads them), environment variables and file paths exactly (as
        /// Linux does). Two references are one secret when their sources and names are equal by it.
        /// </summary>
        public static StringComparer TokenNameComparer(bool isConfigurationKey) =>
            isConfigurationKey ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

        /// <summary>Lower-case letters, digits, '-' and '.', not ending with '.': already its own key.</summary>
        private static bool IsCanonicalHostName(string value)
        {
            if (value.Length == 0 || value[value.Length - 1] == '.')
            {
                return false;
            }

            foreach (char c in value)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
                {
                    return false;
                }
            }

            return true;
        }

        private static void SplitAuthority(string authority, out string host, out string? port)
        {
            port = null;
            host = authority;
            if (authority.Length > 0 && authority[0] == '[')
            {
                int close = authority.IndexOf(']');
                if (close > 0)
                {
                    host = authority.Substring(0, close + 1);
                    string rest = authority.Substring(close + 1);
                    if (rest.Length > 0 && rest[0] == ':')
                    {
                        port = rest.Substring(1);
                    }
                    else if (rest.Length > 0)
                    {
                        host = authority; // not host[:port]: compared as written
                    }
                }

                return;
            }

            int colon = authority.IndexOf(':');
            if (colon >= 0 && authority.IndexOf(':', colon + 1) < 0)
            {
                host = authority.Substring(0, colon);
                port = authority.Substring(colon + 1);
            }
        }

        private static string CanonicalHost(string host)
        {
            if (host.Length > 2 && host[0] == '[' && host[host.Length - 1] == ']' &&
                IPAddress.TryParse(host.Substring(1, host.Length - 2), out IPAddress? address) &&
                address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                return address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : "[" + address + "]";
            }

            return host.TrimEnd('.').ToLowerInvariant();
        }

        private static string? CanonicalPort(string? port, int defaultPort)
        {
            if (port is null || port.Length == 0)
            {
                return null;
            }

            foreach (char c in port)
            {
                if (c < '0' || c > '9')
                {
                    return port.ToLowerInvariant();
                }
            }

            string digits = port.TrimStart('0');
            if (digits.Length == 0)
            {
                return "0";
            }

            return digits.Length <= 5 && int.Parse(digits, CultureInfo.InvariantCulture) == defaultPort ? null : digits;
        }

        private static string CanonicalPath(string path)
        {
            path = path.TrimEnd('/');
            if (path.IndexOf('%') < 0)
            {
                return path;
            }

            var canonical = new StringBuilder(path.Length);
            for (int i = 0; i < path.Length; i++)
            {
                int high = i + 2 < path.Length && path[i] == '%' ? HexValue(path[i + 1]) : -1;
                int low = high >= 0 ? HexValue(path[i + 2]) : -1;
                if (low < 0)
                {
                    canonical.Append(path[i]);
                    continue;
                }

                char decoded = (char)((high * 16) + low);
                if (IsUnreserved(decoded))
                {
                    canonical.Append(decoded);
                }
                else
                {
                    canonical.Append('%').Append(char.ToUpperInvariant(path[i + 1])).Append(char.ToUpperInvariant(path[i + 2]));
                }

                i += 2;
            }

            return canonical.ToString();
        }

        // RFC 3986 unreserved: an escape of one of these means the character itself.
        private static bool IsUnreserved(char c) =>
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';

        private static int HexValue(char c) =>
            c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
