using System;
using System.Diagnostics.Metrics;
using JiraConfigGen;
using JiraConfigGen.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary>Puts the lockout guard's state in Redis, shared by every process of a fleet.</summary>
#pragma warning disable RS0026 // Two overloads with an optional 'configure', as in Microsoft.Extensions' own AddXxx methods: the first version, so nothing to stay compatible with.
    public static class RedisJiraConnectionsBuilderExtensions
    {
        /// <summary>Keeps the guard's state in the Redis at <paramref name="configuration"/> (a StackExchange.Redis connection string).</summary>
        /// <param name="builder">What <c>AddJiraConnections</c> returned.</param>
        /// <param name="configuration">For example <c>redis.internal:6379,password=...</c>.</param>
        /// <param name="configure">Changes the store's options.</param>
        /// <returns>The builder.</returns>
        public static IJiraConnectionsBuilder UseRedisGuardStore(this IJiraConnectionsBuilder builder, string configuration, Action<RedisGuardOptions>? configure = null)
        {
            if (configuration is null)
            {
                throw new ArgumentNullException(nameof(configuration));
            }

            return Use(builder, configure, (sp, options) => RedisJiraGuardStore.Connect(configuration, options, sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>(), sp.GetService<TimeProvider>()));
        }

        /// <summary>Keeps the guard's state in Redis through an existing connection, which the application keeps owning.</summary>
        /// <param name="builder">What <c>AddJiraConnections</c> returned.</param>
        /// <param name="connection">The connection; configure it with <c>BacklogPolicy.FailFast</c> so that an outage is noticed at once.</param>
        /// <param name="configure">Changes the store's options.</param>
        /// <returns>The builder.</returns>
        public static IJiraConnectionsBuilder UseRedisGuardStore(this IJiraConnectionsBuilder builder, IConnectionMultiplexer connection, Action<RedisGuardOptions>? configure = null)
        {
            if (connection is null)
            {
                throw new ArgumentNullException(nameof(connection));
            }

            return Use(builder, configure, (sp, options) => new RedisJiraGuardStore(connection, options, sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>(), sp.GetService<TimeProvider>()));
        }

        private static IJiraConnectionsBuilder Use(IJiraConnectionsBuilder builder, Action<RedisGuardOptions>? configure, Func<IServiceProvider, RedisGuardOptions, RedisJiraGuardStore> create)
        {
            if (builder is null)
            {
                throw new ArgumentNullException(nameof(builder));
            }

            var options = new RedisGuardOptions();
            configure?.Invoke(options);
            options.Validate();
            builder.Services.Replace(ServiceDescriptor.Singleton<IJiraGuardStore>(sp => create(sp, options)));
            return builder;
        }
    }
#pragma warning restore RS0026
}
