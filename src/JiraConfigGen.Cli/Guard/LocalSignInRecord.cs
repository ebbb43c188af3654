using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using JiraConfigGen.Cli.Inputs;
using JiraConfigGen.Cli.Reports;

namespace JiraConfigGen.Cli.Guard;

/// <summary>
/// The failed sign-ins of this machine's <c>check</c> runs, per account, since each account's last success.
/// A guard in memory forgets when its process ends, and a check is one short process: without this record,
/// four runs with a wrong token would be four failed logins, and Jira would lock the account. Each run's
/// guard gets the budget that earlier runs left, and the record gets what the run spent. The file holds
/// accounts (instance and user name) and counts, never a token; it is held exclusively for the whole run,
/// so two runs cannot spend one budget twice. Without <c>--redis</c>, <c>guard status</c> and <c>guard reset</c>
/// show and clear it.
/// </summary>
internal sealed class LocalSignInRecord : IDisposable
{
    private const string FileName = "failed-sign-ins.json";
    private readonly FileStream _file;
    private readonly Dictionary<string, Entry> _accounts;

    private LocalSignInRecord(FileStream file, Dictionary<string, Entry> accounts)
    {
        _file = file;
        _accounts = accounts;
    }

    /// <summary>An account's line in the record.</summary>
    /// <param name="Account">The account as <c>--account</c> takes it: <c>INSTANCE/USER</c>.</param>
    /// <param name="FailedAttempts">Failed sign-ins counted since its last success.</param>
    /// <param name="Since">When the first of them happened.</param>
    internal sealed record Entry(string Account, int FailedAttempts, DateTimeOffset Since);

    /// <summary>
    /// <c>$XDG_STATE_HOME/jira-connections/failed-sign-ins.json</c>, or <c>~/.local/state/...</c>
    /// (<c>%LOCALAPPDATA%\jira-connections\...</c> on Windows).
    /// </summary>
    public static string DefaultPath
    {
        get
        {
            string? state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
            string root = !string.IsNullOrEmpty(state) ? state
                : OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
            return Path.Combine(root, "jira-connections", FileName);
        }
    }

    public IEnumerable<Entry> Entries => _accounts.Values.OrderBy(e => e.Account, StringComparer.Ordinal);

    /// <summary>Opens the record for this run, waiting up to <paramref name="wait"/> for a run that holds it.</summary>
    /// <exception cref="CommandException">It cannot be opened, or another run holds it longer.</exception>
    public static LocalSignInRecord Open(string path, TimeSpan wait)
    {
        DateTime giveUp = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return new LocalSignInRecord(file, Read(file, path));
            }
            catch (IOException) when (DateTime.UtcNow < giveUp && File.Exists(path))
            {
                Thread.Sleep(100); // another run holds it
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CommandException($"cannot open the record of failed sign-ins {path}: {e.Message}", e);
            }
        }
    }

    public int FailedAttempts(JiraAccount account) => _accounts.TryGetValue(account.Key, out Entry? entry) ? entry.FailedAttempts : 0;

    /// <summary>Sets an account's count: what it was, plus the run's failures, or only these after a success.</summary>
    public void Set(JiraAccount account, int failedAttempts)
    {
        if (failedAttempts <= 0)
        {
            _accounts.Remove(account.Key);
        }
        else if (!_accounts.TryGetValue(account.Key, out Entry? entry) || entry.FailedAttempts != failedAttempts)
        {
            _accounts[account.Key] = new Entry(account.Instance + "/" + account.Username, failedAttempts, entry?.Since ?? DateTimeOffset.UtcNow);
        }
    }

    public void Save()
    {
        _file.SetLength(0);
        using (var json = new Utf8JsonWriter(_file, Json.Options))
        {
            json.WriteStartObject();
            json.WriteNumber("version", 1);
            json.WriteStartObject("accounts");
            foreach (KeyValuePair<string, Entry> account in _accounts.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject(account.Key);
                json.WriteString("account", account.Value.Account);
                json.WriteNumber("failedAttempts", account.Value.FailedAttempts);
                json.WriteString("since", account.Value.Since);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        _file.Flush(flushToDisk: true);
    }

    public void Dispose() => _file.Dispose();

    private static Dictionary<string, Entry> Read(FileStream file, string path)
    {
        var accounts = new Dictionary<string, Entry>(StringComparer.Ordinal);
        if (file.Length == 0)
        {
            return accounts;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(file, new JsonDocumentOptions { AllowTrailingCommas = true });
            foreach (JsonProperty account in document.RootElement.GetProperty("accounts").EnumerateObject())
            {
                accounts[account.Name] = new Entry(
                    account.Value.GetProperty("account").GetString()!,
                    account.Value.GetProperty("failedAttempts").GetInt32(),
                    account.Value.GetProperty("since").GetDateTimeOffset());
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            file.Dispose();
            throw new CommandException($"the record of failed sign-ins {path} is damaged ({e.Message}); it protects your Jira accounts from lockout, so it is not overwritten: fix it, or delete it once you know no account has failed sign-ins");
        }

        file.Position = 0;
        return accounts;
    }
}
