using System;
using System.Net.Http;

namespace JiraConfigGen
{
    /// <summary>
    /// Jira clients without dependency injection: one guard and one connection pool for every client it
    /// creates. Keep one factory for the application's lifetime, as you would an <c>HttpClient</c>.
    /// </summary>
    public sealed class JiraClientFactory : IDisposable
    {
        private readonly IJiraSecretResolver _resolver;
        private readonly HttpMessageHandler _innerHandler;
        private readonly bool _ownsInnerHandler;

        /// <summary>Creates a factory.</summary>
        /// <param name="resolver">Resolves tokens, e.g. <c>new JiraSecretResolver(configuration)</c>.</param>
        /// <param name="guard">The lockout guard; a new one with default options when null.</param>
        /// <param name="innerHandler">The handler that sends requests; a pooled one owned by this factory when null.</param>
        public JiraClientFactory(IJiraSecretResolver resolver, JiraLockoutGuard? guard = null, HttpMessageHandler? innerHandler = null)
        {
            _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
            Guard = guard ?? new JiraLockoutGuard();
            _ownsInnerHandler = innerHandler is null;
#if NET8_0_OR_GREATER
            _innerHandler = innerHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
#else
            _innerHandler = innerHandler ?? new HttpClientHandler();
#endif
        }

        /// <summary>The guard every client of this factory shares.</summary>
        public JiraLockoutGuard Guard { get; }

        /// <summary>A client for <paramref name="connection"/>; cheap, and safe to dispose.</summary>
        /// <param name="connection">The connection.</param>
        /// <returns>A client with the connection's base address, whose requests go through the guard.</returns>
        public HttpClient CreateClient(JiraConnection connection)
        {
            // The guard handler holds nothing to dispose but the shared pool under it, which is the factory's.
            var handler = new JiraLockoutGuardHandler(connection, _resolver, Guard) { InnerHandler = _innerHandler };
            return new HttpClient(handler, disposeHandler: false) { BaseAddress = connection.BaseAddress };
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (_ownsInnerHandler)
            {
                _innerHandler.Dispose();
            }
        }
    }
}
