using System;
using System.Collections.Concurrent;
using System.IO;
using Microsoft.Extensions.Configuration;

namespace JiraConfigGen
{
    /// <summary>
    /// Resolves tokens from the three sources of the connections file: <c>config</c> through the
    /// application's <see cref="IConfiguration"/> (so environment variables, user secrets, Key Vault and
    /// key-per-file all work), <c>env</c> from the environment, and <c>file</c> from a file's trimmed
    /// content. A value that changes is picked up on the next call (files after
    /// <see cref="JiraSecretResolverOptions.FileRefreshInterval"/>, environment variables after
    /// <see cref="JiraSecretResolverOptions.EnvironmentRefreshInterval"/>); an unchanged value returns the same
    /// <see cref="JiraSecret"/> instance, so resolving on every request allocates nothing.
    /// </summary>
    public sealed class JiraSecretResolver : IJiraSecretResolver
    {
        private readonly IConfiguration? _configuration;
        private readonly JiraSecretResolverOptions _options;
        private readonly TimeProvider _time;
        private readonly ConcurrentDictionary<JiraSecretReference, Entry> _cache = new();

        /// <summary>Creates a resolver.</summary>
        /// <param name="configuration">The application's configuration, for <c>config</c> references.</param>
        /// <param name="options">Options; defaults when null.</param>
        /// <param name="timeProvider">The clock for file refreshes; <see cref="TimeProvider.System"/> when null.</param>
        public JiraSecretResolver(IConfiguration? configuration = null, JiraSecretResolverOptions? options = null, TimeProvider? timeProvider = null)
        {
            _configuration = configuration;
            _options = options ?? new JiraSecretResolverOptions();
            _time = timeProvider ?? TimeProvider.System;
        }

        /// <inheritdoc />
        public JiraSecret Resolve(JiraConnection connection)
        {
            if (connection is null)
            {
                throw new ArgumentNullException(nameof(connection));
            }

            JiraSecretReference reference = connection.ApiToken;
            _cache.TryGetValue(reference, out Entry? cached);
            TimeSpan? reuse = reference.Source switch
            {
                JiraSecretSource.File => _options.FileRefreshInterval,
                JiraSecretSource.Environment => _options.EnvironmentRefreshInterval,
                _ => null, // configuration is in memory already: read on every call
            };
            if (cached is not null && reuse is { } interval && _time.GetElapsedTime(cached.ReadAt) < interval)
            {
                return cached.Secret;
            }

            string? raw = Read(connection.Nickname, reference);
            if (cached is not null && string.Equals(raw, cached.Raw, StringComparison.Ordinal))
            {
                if (reuse is not null)
                {
                    _cache[reference] = new Entry(cached.Raw, cached.Secret, _time.GetTimestamp());
                }

                return cached.Secret;
            }

            if (raw is null)
            {
                throw new JiraSecretUnavailableException(connection.Nickname, reference, JiraSecretProblem.Missing);
            }

            string value = raw.Trim();
            if (value.Length == 0)
            {
                throw new JiraSecretUnavailableException(connection.Nickname, reference, JiraSecretProblem.Empty);
            }

            var secret = new JiraSecret(reference, value, (cached?.Secret.Version ?? 0) + 1);
            _cache[reference] = new Entry(raw, secret, _time.GetTimestamp());
            return secret;
        }

        private string? Read(string connection, JiraSecretReference reference)
        {
            switch (reference.Source)
            {
                case JiraSecretSource.Configuration:
                    if (_configuration is null)
                    {
                        throw new JiraSecretUnavailableException(connection, reference, JiraSecretProblem.Unreadable, "no IConfiguration was given to the resolver: register the connections with AddJiraConnections in a host that has configuration, or pass one to JiraSecretResolver");
                    }

                    return _configuration[reference.Name];
                case JiraSecretSource.Environment:
                    return Environment.GetEnvironmentVariable(reference.Name);
                default:
                    try
                    {
                        return File.ReadAllText(reference.Name);
                    }
                    catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                    {
                        return null;
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
                    {
                        // The messages of these name the path, never the content.
                        throw new JiraSecretUnavailableException(connection, reference, JiraSecretProblem.Unreadable, e.GetType().Name + ": " + e.Message);
                    }
            }
        }

        private sealed class Entry
        {
            public Entry(string? raw, JiraSecret secret, long readAt)
            {
                Raw = raw;
                Secret = secret;
                ReadAt = readAt;
            }

            public string? Raw { get; }

            public JiraSecret Secret { get; }

            public long ReadAt { get; }
        }
    }
}
