using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using JiraConfigGen.Cli.Guard;
using JiraConfigGen.Cli.Inputs;
using JiraConfigGen.Cli.Reports;
using JiraConfigGen.Cli.Validation;
using JiraConfigGen.Redis;
using Microsoft.Extensions.Configuration;

namespace JiraConfigGen.Cli.Commands;

/// <summary>
/// <c>jira-connections check [PATH ...]</c>: signs in with every connection through the lockout guard, exactly
/// as the runtime's <see cref="JiraConnectionChecker"/> does (<c>/myself</c>, then Administer Jira for
/// <c>events: true</c>). Accounts are checked in parallel, the connections of one account one after the other.
/// The guard's budget holds across runs: with <c>--redis</c> it is the fleet's, otherwise this machine's record
/// (<see cref="LocalSignInRecord"/>). Exit code 1 when any connection fails or cannot be checked.
/// </summary>
internal static class CheckCommand
{
    private const int ParallelAccounts = 8;

    public static Command Create()
    {
        Argument<string[]> paths = Shared.PathsArgument();
        Option<string> format = Shared.FormatOption("text", "json");
        var config = new Option<FileInfo[]>("--config", "-c")
        {
            Description = "A JSON configuration file (appsettings.json) for the \"config\" token references; repeat it to layer files, later ones winning. Environment variables are read after them (Jira__Production__ApiToken for Jira:Production:ApiToken).",
            AllowMultipleArgumentsPerToken = false,
        };
        GuardOptions guard = GuardOptions.Add();
        var timeout = new Option<int>("--timeout")
        {
            Description = "Seconds to wait for Jira's answer to each request.",
            DefaultValueFactory = _ => 30,
        };
        var maxFailed = new Option<int>("--max-failed-attempts")
        {
            Description = "Failed sign-ins the guard allows per account between successes: one fewer than the failures after which your Jira locks an account.",
            DefaultValueFactory = _ => new JiraGuardOptions().MaxFailedAttempts,
        };

        var command = new Command("check", "Signs in with every connection through the lockout guard (/myself, then Administer Jira for events: true), accounts in parallel. Tokens come from the environment, --config files and secret files. Exit code 1 when any connection fails.")
        {
            paths, format, config, guard.Redis, guard.KeyPrefix, timeout, maxFailed,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            TimeSpan perRequest = TimeSpan.FromSeconds(Positive(parsed.GetValue(timeout), "--timeout"));
            int budget = Budget(parsed.GetValue(maxFailed));
            var secrets = new JiraSecretResolver(Configuration(parsed.GetValue(config) ?? []));
            ValidationResult result = Shared.Read(parsed.GetValue(paths));
            IReadOnlyList<DeclaredConnection> connections = DeclaredConnection.All(result);
            var run = new Run(secrets, perRequest, budget);
            IReadOnlyDictionary<DeclaredConnection, Outcome> outcomes = await run.CheckAsync(connections, guard.Read(parsed), cancellationToken).ConfigureAwait(false);

            using (Stream stream = Shared.OpenOutput(null))
            {
                if (parsed.GetValue(format) == "json")
                {
                    WriteJson(stream, connections, outcomes);
                }
                else
                {
                    using StreamWriter writer = Shared.Writer(stream);
                    foreach (DeclaredConnection connection in connections)
                    {
                        writer.WriteLine($"{TextReport.Visible(Place(connection))}: {TextReport.Visible(outcomes[connection].Text)}");
                    }
                }
            }

            int failed = connections.Count(c => !outcomes[c].Succeeded);
            Console.Error.WriteLine($"jira-connections: {Shared.Count(connections.Count, "connection")} checked: {connections.Count - failed} OK, {failed} failed");
            return failed > 0 ? 1 : 0;
        });
        return command;
    }

    /// <summary>What the check of one connection found.</summary>
    /// <param name="Result">The runtime checker's result; null when the connection was not checked.</param>
    /// <param name="Text">One line: <c>Production: OK, signs in as ...</c> or <c>...: FAILED: ...</c>.</param>
    internal sealed record Outcome(bool Succeeded, JiraConnectionCheckResult? Result, string Text);

    private static int Positive(int value, string option) =>
        value > 0 ? value : throw new CommandException($"{option} must be a positive number, not {value}");

    /// <summary>The guard's own range check, as a usage error.</summary>
    internal static int Budget(int maxFailedAttempts)
    {
        try
        {
            new JiraGuardOptions { MaxFailedAttempts = maxFailedAttempts }.Validate();
            return maxFailedAttempts;
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new CommandException("--max-failed-attempts: " + e.Message.Split(Environment.NewLine)[0], e);
        }
    }

    private static IConfiguration Configuration(FileInfo[] files)
    {
        var builder = new ConfigurationBuilder();
        foreach (FileInfo file in files)
        {
            if (!file.Exists)
            {
                throw new CommandException($"--config {file}: no such file");
            }

            builder.AddJsonFile(file.FullName, optional: false, reloadOnChange: false);
        }

        try
        {
            return builder.AddEnvironmentVariables().Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            // The configuration providers name the file and the place, never a value.
            throw new CommandException("cannot read the --config files: " + e.Message, e);
        }
    }

    private static string Place(DeclaredConnection connection) =>
        Shared.Relative(connection.Path) + (connection.Line > 0 ? ":" + connection.Line.ToString(CultureInfo.InvariantCulture) : string.Empty);

    private static void WriteJson(Stream stream, IReadOnlyList<DeclaredConnection> connections, IReadOnlyDictionary<DeclaredConnection, Outcome> outcomes)
    {
        using var json = new Utf8JsonWriter(stream, Json.Options);
        json.WriteStartArray();
        foreach (DeclaredConnection connection in connections)
        {
            Outcome outcome = outcomes[connection];
            JiraConnectionCheckResult? result = outcome.Result;
            json.WriteStartObject();
            json.WriteString("nickname", connection.Spec.Nickname);
            json.WriteString("path", Shared.Portable(connection.Path));
            json.WriteNumber("line", connection.Line);
            json.WriteString("account", connection.AccountArgument);
            json.WriteBoolean("succeeded", outcome.Succeeded);
            json.WriteString("displayName", result?.DisplayName);
            json.WriteString("accountId", result?.AccountId);
            json.WriteString("username", result?.Username);
            json.WriteString("emailAddress", result?.EmailAddress);
            if (result?.CanAdministerJira is { } admin)
            {
                json.WriteBoolean("canAdministerJira", admin);
            }
            else
            {
                json.WriteNull("canAdministerJira");
            }

            json.WriteString("problem", outcome.Succeeded ? null : result?.Problem ?? outcome.Text);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    /// <summary>One run of checks: one guard per account over this machine's record, or one over Redis.</summary>
    private sealed class Run(JiraSecretResolver secrets, TimeSpan timeout, int maxFailedAttempts)
    {
        private readonly ConcurrentDictionary<DeclaredConnection, Outcome> _outcomes = new();

        public async Task<IReadOnlyDictionary<DeclaredConnection, Outcome>> CheckAsync(IReadOnlyList<DeclaredConnection> connections, GuardTarget target, CancellationToken cancellationToken)
        {
            foreach (DeclaredConnection connection in connections.Where(c => c.Connection is null))
            {
                _outcomes[connection] = new Outcome(false, null, $"{connection.Name}: NOT CHECKED: it {connection.Problem}; 'jira-connections validate' shows where");
            }

            IGrouping<JiraAccount, DeclaredConnection>[] accounts = connections.Where(c => c.Connection is not null).GroupBy(c => c.Connection!.Account).ToArray();
            using var sockets = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = ParallelAccounts, CancellationToken = cancellationToken };
            if (target.Redis is { } redis)
            {
                using RedisJiraGuardStore store = RedisJiraGuardStore.Connect(redis, new RedisGuardOptions { KeyPrefix = target.KeyPrefix });
                var guard = new JiraLockoutGuard(Options(maxFailedAttempts), new ToolGuardStore(store, target.ResetCommand));
                using var factory = new JiraClientFactory(secrets, guard, sockets);
                await Parallel.ForEachAsync(accounts, parallel, async (account, token) => await CheckAccountAsync(factory, account, token).ConfigureAwait(false)).ConfigureAwait(false);
                return _outcomes;
            }

            using LocalSignInRecord record = LocalSignInRecord.Open(LocalSignInRecord.DefaultPath, TimeSpan.FromSeconds(30));
            await Parallel.ForEachAsync(accounts, parallel, async (account, token) =>
            {
                int before;
                lock (record)
                {
                    before = record.FailedAttempts(account.Key);
                }

                int left = maxFailedAttempts - before;
                if (left <= 0)
                {
                    foreach (DeclaredConnection connection in account)
                    {
                        _outcomes[connection] = new Outcome(false, null,
                            $"{connection.Name}: NOT CHECKED: earlier checks on this machine recorded {Shared.Count(before, "failed sign-in")} of {account.Key} since its last success, the most the guard allows ({maxFailedAttempts}): one more could lock the account; " +
                            $"put a valid token in {connection.Connection!.ApiToken}, sign in to Jira in a browser as {account.Key.Username} (which resets Jira's count), then run: {target.ResetCommand} --account \"{connection.AccountArgument}\"");
                    }

                    return;
                }

                // Written down first, as if each connection's sign-in failed: a run that is killed leaves a record
                // that errs on the side of the account, never one that lets a later run spend the budget again.
                lock (record)
                {
                    record.Set(account.Key, before + Math.Min(left, account.Count()));
                    record.Save();
                }

                var guard = new JiraLockoutGuard(Options(left), new ToolGuardStore(new InMemoryJiraGuardStore(), target.ResetCommand));
                bool signedIn = false;
                try
                {
                    using var factory = new JiraClientFactory(secrets, guard, sockets);
                    signedIn = await CheckAccountAsync(factory, account, token).ConfigureAwait(false);
                }
                finally
                {
                    // Attempts still in flight (a cancelled run) may yet be counted by Jira: they count here too.
                    JiraGuardStatus status = await guard.GetStatusAsync(account.Key, CancellationToken.None).ConfigureAwait(false);
                    lock (record)
                    {
                        record.Set(account.Key, (signedIn ? 0 : before) + status.FailedAttempts + status.InFlight);
                        record.Save();
                    }
                }
            }).ConfigureAwait(false);

            return _outcomes;
        }

        /// <summary>Checks an account's connections in order; true when one of them signed in (Jira's count is reset).</summary>
        private async ValueTask<bool> CheckAccountAsync(JiraClientFactory factory, IGrouping<JiraAccount, DeclaredConnection> account, CancellationToken cancellationToken)
        {
            var checker = new JiraConnectionChecker(connection =>
            {
                HttpClient client = factory.CreateClient(connection);
                client.Timeout = timeout;
                return client;
            });

            bool signedIn = false;
            foreach (DeclaredConnection connection in account)
            {
                JiraConnectionCheckResult result = await checker.CheckAsync(connection.Connection!, cancellationToken).ConfigureAwait(false);
                signedIn |= result.Succeeded || result.CanAdministerJira.HasValue;
                _outcomes[connection] = new Outcome(result.Succeeded, result, result.ToString());
            }

            return signedIn;
        }

        private static JiraGuardOptions Options(int maxFailedAttempts) => new() { MaxFailedAttempts = maxFailedAttempts };
    }
}
