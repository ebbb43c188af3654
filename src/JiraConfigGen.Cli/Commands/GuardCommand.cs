using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using JiraConfigGen.Cli.Guard;
using JiraConfigGen.Cli.Inputs;
using JiraConfigGen.Cli.Reports;
using JiraConfigGen.Cli.Validation;
using JiraConfigGen.Redis;
using StackExchange.Redis;

namespace JiraConfigGen.Cli.Commands;

/// <summary>Where the guard's state is: a fleet's Redis (<c>--redis</c>), or this machine's record of its checks.</summary>
/// <param name="Redis">The StackExchange.Redis configuration string; null for the local record.</param>
/// <param name="KeyPrefix">The fleet's <see cref="RedisGuardOptions.KeyPrefix"/>.</param>
internal sealed record GuardTarget(string? Redis, string KeyPrefix)
{
    /// <summary>
    /// The command that clears a trip here, for messages: the Redis server by its endpoints only, since a
    /// configuration string can hold a password.
    /// </summary>
    public string ResetCommand => Redis is null
        ? "jira-connections guard reset"
        : $"jira-connections guard reset --redis \"{Endpoints}\"" + (KeyPrefix == new RedisGuardOptions().KeyPrefix ? string.Empty : $" --key-prefix \"{KeyPrefix}\"");

    /// <summary><c>redis.internal:6379</c>: the servers, without credentials.</summary>
    public string Endpoints => Redis is null ? string.Empty : string.Join(",", ConfigurationOptions.Parse(Redis).EndPoints.Select(e => e switch
    {
        DnsEndPoint dns => dns.Host + ":" + dns.Port.ToString(CultureInfo.InvariantCulture),
        _ => e.ToString(),
    }));
}

/// <summary>The options that say where the guard's state is.</summary>
internal sealed class GuardOptions
{
    /// <summary>Read when <c>--redis</c> is not given, so a password need not be on the command line.</summary>
    public const string RedisVariable = "JIRA_CONNECTIONS_REDIS";

    private GuardOptions(Option<string> redis, Option<string> keyPrefix)
    {
        Redis = redis;
        KeyPrefix = keyPrefix;
    }

    public Option<string> Redis { get; }

    public Option<string> KeyPrefix { get; }

    public static GuardOptions Add() => new(
        new Option<string>("--redis")
        {
            Description = $"The fleet guard's Redis (a StackExchange.Redis configuration string: host:port[,password=...]); default: ${RedisVariable}. Without either, this machine's record of its own checks.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(RedisVariable)!,
        },
        new Option<string>("--key-prefix")
        {
            Description = "The fleet's RedisGuardOptions.KeyPrefix.",
            DefaultValueFactory = _ => new RedisGuardOptions().KeyPrefix,
        });

    public GuardTarget Read(ParseResult parsed)
    {
        string? redis = parsed.GetValue(Redis);
        return new GuardTarget(string.IsNullOrWhiteSpace(redis) ? null : redis, parsed.GetValue(KeyPrefix) ?? new RedisGuardOptions().KeyPrefix);
    }
}

/// <summary>
/// <c>jira-connections guard status|reset</c>: the operator's view of the lockout guard. <c>status</c> shows each
/// account's failed attempts, requests in flight, trip and quarantined tokens (as counts, never values);
/// <c>reset</c> clears a trip once a person has made the account usable again. With <c>--redis</c>, the fleet's
/// state (what every process of the fleet sees); without it, this machine's record of its own checks.
/// </summary>
internal static class GuardCommand
{
    public static Command Create() => new("guard", "Shows and clears the lockout guard's state per account: a fleet's, in Redis (--redis), or this machine's checks'.")
    {
        Status(),
        Reset(),
    };

    private static Option<string[]> AccountOption(string description) => new("--account", "-a")
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
    };

    private static Command Status()
    {
        Argument<string[]> paths = Shared.PathsArgument();
        Option<string[]> accounts = AccountOption("An account, as INSTANCE/USER (the ACCOUNT column of 'jira-connections list'); repeat for more. Default: the accounts of the connections files.");
        Option<string> format = Shared.FormatOption("text", "json");
        GuardOptions guard = GuardOptions.Add();
        var maxFailed = new Option<int>("--max-failed-attempts")
        {
            Description = "The guard's budget, to tell a spent one (this machine's record only; a fleet's Redis knows its own).",
            DefaultValueFactory = _ => new JiraGuardOptions().MaxFailedAttempts,
        };
        var command = new Command("status", "Shows each account's failed attempts since its last success, requests in flight, trip and quarantined tokens. Exit code 1 when an account is tripped.")
        {
            paths, accounts, format, guard.Redis, guard.KeyPrefix, maxFailed,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            GuardTarget target = guard.Read(parsed);
            int max = CheckCommand.Budget(parsed.GetValue(maxFailed));
            string[] named = parsed.GetValue(accounts) ?? [];
            List<JiraAccount> list = named.Length > 0 ? named.Select(ParseAccount).ToList() : FromFiles(parsed.GetValue(paths));
            List<(JiraAccount Account, JiraGuardStatus Status)> statuses = target.Redis is null
                ? LocalStatuses(list, named.Length == 0, max)
                : await RedisStatusesAsync(target, list, cancellationToken).ConfigureAwait(false);

            using (Stream stream = Shared.OpenOutput(null))
            {
                if (parsed.GetValue(format) == "json")
                {
                    WriteJson(stream, statuses, target.Redis is not null);
                }
                else
                {
                    using StreamWriter writer = Shared.Writer(stream);
                    foreach ((JiraAccount account, JiraGuardStatus status) in statuses)
                    {
                        writer.WriteLine(TextReport.Visible(Describe(account, status, target.Redis is not null)));
                    }
                }
            }

            return statuses.Any(s => s.Status.Tripped != JiraLockoutReason.None) ? 1 : 0;
        });
        return command;
    }

    private static Command Reset()
    {
        Option<string[]> accounts = AccountOption("The account to clear, as INSTANCE/USER (the ACCOUNT column of 'jira-connections list'); repeat for more.");
        accounts.Required = true;
        GuardOptions guard = GuardOptions.Add();
        var command = new Command("reset", "Clears an account's trip and failed attempts, after a person has made it usable (signed in to Jira in a browser, which resets Jira's count, or changed the password). Quarantined tokens stay quarantined.")
        {
            accounts, guard.Redis, guard.KeyPrefix,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            GuardTarget target = guard.Read(parsed);
            List<JiraAccount> list = (parsed.GetValue(accounts) ?? []).Select(ParseAccount).ToList();
            if (target.Redis is null)
            {
                using LocalSignInRecord record = LocalSignInRecord.Open(LocalSignInRecord.DefaultPath, TimeSpan.FromSeconds(30));
                foreach (JiraAccount account in list)
                {
                    int before = record.FailedAttempts(account);
                    record.Set(account, 0);
                    Console.Out.WriteLine(TextReport.Visible($"{account.Instance}/{account.Username}: cleared {Shared.Count(before, "failed sign-in")} recorded by this machine's checks"));
                }

                record.Save();
                return 0;
            }

            using RedisJiraGuardStore store = RedisJiraGuardStore.Connect(target.Redis, new RedisGuardOptions { KeyPrefix = target.KeyPrefix });
            var lockoutGuard = new JiraLockoutGuard(store: store);
            foreach (JiraAccount account in list)
            {
                JiraGuardStatus before = await ReachableStatusAsync(lockoutGuard, account, target, cancellationToken).ConfigureAwait(false);
                await lockoutGuard.ResetAsync(account, cancellationToken).ConfigureAwait(false);
                JiraGuardStatus after = await ReachableStatusAsync(lockoutGuard, account, target, cancellationToken).ConfigureAwait(false);
                string trip = before.Tripped == JiraLockoutReason.None ? "it was not tripped" : "the trip (" + Reason(before.Tripped) + ")";
                Console.Out.WriteLine(TextReport.Visible($"{account.Instance}/{account.Username}: cleared {Shared.Count(before.FailedAttempts, "failed attempt")} and {trip} for the whole fleet; now {Describe(after)}"));
            }

            return 0;
        });
        return command;
    }

    /// <summary><c>INSTANCE/USER</c>, split at the last <c>/</c> (an instance can have a context path).</summary>
    internal static JiraAccount ParseAccount(string value)
    {
        int slash = value.LastIndexOf('/');
        if (slash <= 0 || slash == value.Length - 1)
        {
            throw new CommandException($"--account '{TextReport.Visible(value)}' is not INSTANCE/USER (for example contoso.atlassian.net/automation@contoso.com); 'jira-connections list' shows each connection's");
        }

        return new JiraAccount(value.Substring(0, slash), value.Substring(slash + 1));
    }

    private static List<JiraAccount> FromFiles(string[]? paths)
    {
        ValidationResult result = Shared.Read(paths);
        return DeclaredConnection.All(result)
            .Where(c => c.Connection is not null)
            .Select(c => c.Connection!.Account)
            .Distinct()
            .ToList();
    }

    private static List<(JiraAccount, JiraGuardStatus)> LocalStatuses(List<JiraAccount> accounts, bool addRecorded, int max)
    {
        using LocalSignInRecord record = LocalSignInRecord.Open(LocalSignInRecord.DefaultPath, TimeSpan.FromSeconds(30));
        if (addRecorded)
        {
            // Accounts with failures on record that the files no longer name: shown, not hidden.
            accounts = accounts.Concat(record.Entries.Select(e => ParseAccount(e.Account))).Distinct().ToList();
        }

        return accounts.Select(account =>
        {
            int failed = record.FailedAttempts(account);
            return (account, new JiraGuardStatus(failed, 0, failed >= max ? JiraLockoutReason.AttemptsSpent : JiraLockoutReason.None, 0));
        }).ToList();
    }

    private static async Task<List<(JiraAccount, JiraGuardStatus)>> RedisStatusesAsync(GuardTarget target, List<JiraAccount> accounts, CancellationToken cancellationToken)
    {
        using RedisJiraGuardStore store = RedisJiraGuardStore.Connect(target.Redis!, new RedisGuardOptions { KeyPrefix = target.KeyPrefix });
        var guard = new JiraLockoutGuard(store: store);
        var statuses = new List<(JiraAccount, JiraGuardStatus)>(accounts.Count);
        foreach (JiraAccount account in accounts)
        {
            statuses.Add((account, await ReachableStatusAsync(guard, account, target, cancellationToken).ConfigureAwait(false)));
        }

        return statuses;
    }

    /// <summary>The fleet's status; a store that answers only with this process's view is an error here.</summary>
    private static async Task<JiraGuardStatus> ReachableStatusAsync(JiraLockoutGuard guard, JiraAccount account, GuardTarget target, CancellationToken cancellationToken)
    {
        JiraGuardStatus status = await guard.GetStatusAsync(account, cancellationToken).ConfigureAwait(false);
        return status.IsStoreUnavailable
            ? throw new CommandException($"cannot reach the guard's Redis at {target.Endpoints}; check --redis (or ${GuardOptions.RedisVariable}) and that the server is up")
            : status;
    }

    private static string Describe(JiraAccount account, JiraGuardStatus status, bool fleet) =>
        $"{account.Instance}/{account.Username}: {Describe(status, fleet)}";

    private static string Describe(JiraGuardStatus status, bool fleet = true)
    {
        string state = status.Tripped == JiraLockoutReason.None ? "ok" : "TRIPPED (" + Reason(status.Tripped) + ")";
        string counts = $"{Shared.Count(status.FailedAttempts, "failed attempt")} since the last success";
        return fleet
            ? $"{state}: {counts}, {status.InFlight} in flight, {Shared.Count(status.QuarantinedTokens, "quarantined token")}"
            : $"{state}: {counts}, recorded by this machine's checks";
    }

    private static string Reason(JiraLockoutReason reason) => reason switch
    {
        JiraLockoutReason.AttemptsSpent => "the failed-attempt budget is spent",
        JiraLockoutReason.AccountLocked => "Jira reports the account locked",
        _ => reason.ToString(),
    };

    private static void WriteJson(Stream stream, List<(JiraAccount Account, JiraGuardStatus Status)> statuses, bool fleet)
    {
        using var json = new Utf8JsonWriter(stream, Json.Options);
        json.WriteStartArray();
        foreach ((JiraAccount account, JiraGuardStatus status) in statuses)
        {
            json.WriteStartObject();
            json.WriteString("account", account.Instance + "/" + account.Username);
            json.WriteNumber("failedAttempts", status.FailedAttempts);
            json.WriteString("tripped", status.Tripped == JiraLockoutReason.None ? null : status.Tripped.ToString());
            if (fleet)
            {
                json.WriteNumber("inFlight", status.InFlight);
                json.WriteNumber("quarantinedTokens", status.QuarantinedTokens);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }
}
