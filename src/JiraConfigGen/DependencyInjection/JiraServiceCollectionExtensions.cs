using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Net.Http;
using JiraConfigGen;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary>What <c>AddJiraConnections</c> returns, for the calls that refine it (e.g. a Redis guard store).</summary>
    public interface IJiraConnectionsBuilder
    {
        /// <summary>The services being configured.</summary>
        IServiceCollection Services { get; }

        /// <summary>The connections registered by this call.</summary>
        IReadOnlyList<JiraConnection> Connections { get; }
    }

    /// <summary>Registers Jira connections with dependency injection.</summary>
    public static class JiraServiceCollectionExtensions
    {
        /// <summary>
        /// Registers the secret resolver (reading <c>config</c> references from the application's
        /// <see cref="IConfiguration"/>), the lockout guard (in-memory store, <see cref="TimeProvider"/>,
        /// logging and metrics from the container when registered), a <see cref="JiraConnectionChecker"/>,
        /// and one named <see cref="HttpClient"/> per connection with its base address, its Authorization
        /// header and the guard in its handler pipeline. Get a client with
        /// <c>IHttpClientFactory.CreateJiraClient(connection)</c>.
        /// </summary>
        /// <remarks>
        /// The guard, which adds the Authorization header, wraps the client's primary handler, inside every handler
        /// the application adds and inside the client factory's own logging: those see each request without the
        /// token, at every log level. It is placed after every other configuration of the client, so a primary
        /// handler configured later (<c>ConfigurePrimaryHttpMessageHandler</c>) is wrapped too.
        /// </remarks>
        /// <param name="services">The services.</param>
        /// <param name="connections">The connections, typically the generated <c>JiraConnections.All</c>.</param>
        /// <param name="configureGuard">Changes the guard's options.</param>
        /// <returns>A builder for further configuration.</returns>
        public static IJiraConnectionsBuilder AddJiraConnections(this IServiceCollection services, IEnumerable<JiraConnection> connections, Action<JiraGuardOptions>? configureGuard = null)
        {
            if (services is null)
            {
                throw new ArgumentNullException(nameof(services));
            }

            // Nicknames must be unique (the catalog checks it and says which repeats).
            IReadOnlyList<JiraConnection> list = new JiraConnectionCatalog(connections ?? throw new ArgumentNullException(nameof(connections))).All;

            OptionsBuilder<JiraGuardOptions> options = services.AddOptions<JiraGuardOptions>();
            if (configureGuard is not null)
            {
                options.Configure(configureGuard);
            }

            services.AddOptions<JiraSecretResolverOptions>();
            services.TryAddSingleton<IJiraSecretResolver>(sp => new JiraSecretResolver(
                sp.GetService<IConfiguration>(),
                sp.GetRequiredService<IOptions<JiraSecretResolverOptions>>().Value,
                sp.GetService<TimeProvider>()));
            services.TryAddSingleton<IJiraGuardStore, InMemoryJiraGuardStore>();
            services.TryAddSingleton(sp => new JiraLockoutGuard(
                sp.GetRequiredService<IOptions<JiraGuardOptions>>().Value,
                sp.GetRequiredService<IJiraGuardStore>(),
                sp.GetService<TimeProvider>(),
                sp.GetService<ILoggerFactory>(),
                sp.GetService<IMeterFactory>()));
            services.TryAddSingleton(sp => new JiraConnectionChecker(sp.GetRequiredService<IHttpClientFactory>()));

            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, GuardHandlerFilter>());
            services.Configure<JiraConnectionsRegistry>(registry => registry.Add(list));
            foreach (JiraConnection connection in list)
            {
                string name = JiraHttp.ClientName(connection);
                services.AddHttpClient(name, client => client.BaseAddress = connection.BaseAddress);
                services.Configure<JiraConnectionsRegistry>(name, registry => registry.Add(new[] { connection }));
            }

            return new Builder(services, list.ToArray());
        }

        /// <summary>
        /// Wraps the primary handler of each Jira client in the guard, after everything else has configured the
        /// client (a filter's code after <c>next</c> runs last), so the token is added inside every other handler.
        /// </summary>
        private sealed class GuardHandlerFilter : IHttpMessageHandlerBuilderFilter
        {
            private readonly IOptionsMonitor<JiraConnectionsRegistry> _clients;

            public GuardHandlerFilter(IOptionsMonitor<JiraConnectionsRegistry> clients) => _clients = clients;

            public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
            {
                next(builder);
                IReadOnlyList<JiraConnection>? ours = builder.Name is null ? null : _clients.Get(builder.Name).Connections;
                if (ours is not { Count: > 0 })
                {
                    return;
                }

                JiraConnection connection = ours[ours.Count - 1]; // a nickname registered again: its last registration

                IServiceProvider services = builder.Services;
                builder.PrimaryHandler = new JiraLockoutGuardHandler(connection, services.GetRequiredService<IJiraSecretResolver>(), services.GetRequiredService<JiraLockoutGuard>())
                {
                    InnerHandler = builder.PrimaryHandler,
                };
            };
        }

        private sealed class Builder : IJiraConnectionsBuilder
        {
            public Builder(IServiceCollection services, IReadOnlyList<JiraConnection> connections)
            {
                Services = services;
                Connections = connections;
            }

            public IServiceCollection Services { get; }

            public IReadOnlyList<JiraConnection> Connections { get; }
        }
    }
}
