using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using JiraConfigGen.Cli.Reports;
using JiraConfigGen.Cli.Validation;
using JiraConfigGen.Shared;

namespace JiraConfigGen.Cli.Commands;

/// <summary>
/// <c>jira-connections list [PATH ...]</c>: the repository's connections page. One row per connection, then
/// the connections that sign in as one account (a failed login by one counts against all of them) and the
/// ones that read one token (rotate it, and every one of them changes). Accounts and tokens compare by the
/// runtime's rules: one Jira however written, user names case-insensitive, configuration keys case-insensitive.
/// </summary>
internal static class ListCommand
{
    public static Command Create()
    {
        Argument<string[]> paths = Shared.PathsArgument();
        Option<string> format = Shared.FormatOption("text", "json");
        var command = new Command("list", "Lists every connection (nickname, instance, account, auth, token reference, file:line), and the connections that share an account or a token.")
        {
            paths, format,
        };
        command.SetAction(parsed =>
        {
            ValidationResult result = Shared.Read(parsed.GetValue(paths));
            IReadOnlyList<DeclaredConnection> connections = DeclaredConnection.All(result);
            List<Group> accounts = Sharing(connections, c => c.Connection!.Account.Key, c => c.AccountArgument!);
            List<Group> tokens = Sharing(connections, c => c.Connection!.ApiToken, c => c.Connection!.ApiToken.ToString());
            using (Stream stream = Shared.OpenOutput(null))
            {
                if (parsed.GetValue(format) == "json")
                {
                    WriteJson(stream, connections, accounts, tokens);
                }
                else
                {
                    using StreamWriter writer = Shared.Writer(stream);
                    WriteText(writer, connections, accounts, tokens);
                }
            }

            int unusable = connections.Count(c => c.Connection is null);
            if (unusable > 0)
            {
                Console.Error.WriteLine($"jira-connections: {Shared.Count(unusable, "connection")} cannot be used as written; 'jira-connections validate' says why.");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Connections that share a key (an account, a token), named by it.</summary>
    private sealed record Group(string Name, IReadOnlyList<DeclaredConnection> Connections);

    private static List<Group> Sharing<TKey>(IReadOnlyList<DeclaredConnection> connections, Func<DeclaredConnection, TKey> key, Func<DeclaredConnection, string> name)
        where TKey : notnull =>
        connections.Where(c => c.Connection is not null)
            .GroupBy(key)
            .Where(g => g.Count() > 1)
            .Select(g => new Group(name(g.First()), g.ToArray()))
            .ToList();

    /// <summary>The instance; for a connection with errors, what it most likely meant (never user-info, where a password can hide).</summary>
    private static string Instance(DeclaredConnection c) =>
        c.Connection?.InstanceUrl ?? (c.Spec.InstanceUrl is { } written ? InstanceUrlRules.Suggest(written) : "-");

    private static string Place(DeclaredConnection connection) =>
        Shared.Relative(connection.Path) + (connection.Line > 0 ? ":" + connection.Line.ToString(CultureInfo.InvariantCulture) : string.Empty);

    private static void WriteText(TextWriter output, IReadOnlyList<DeclaredConnection> connections, List<Group> accounts, List<Group> tokens)
    {
        string[] header = ["NICKNAME", "INSTANCE", "ACCOUNT", "AUTH", "TOKEN", "FILE"];
        List<string[]> rows = connections.Select(c => new[]
        {
            c.Name,
            Instance(c),
            c.AccountArgument ?? "(" + c.Problem + ")",
            c.Connection is null ? "-" : c.Connection.Auth == JiraAuthKind.Bearer ? "bearer" : "basic",
            c.Connection?.ApiToken.ToString() ?? "-",
            Place(c),
        }.Select(TextReport.Visible).ToArray()).ToList();

        int[] widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (string[] row in rows.Prepend(header))
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))));
        }

        WriteGroups(output, accounts, "Accounts with more than one connection (a failed login by one counts against all):");
        WriteGroups(output, tokens, "Tokens read by more than one connection (when you rotate one, each of these uses the new value):");
    }

    private static void WriteGroups(TextWriter output, List<Group> groups, string title)
    {
        if (groups.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine(title);
        foreach (Group group in groups)
        {
            output.WriteLine($"  {TextReport.Visible(group.Name)}: {string.Join(", ", group.Connections.Select(c => TextReport.Visible(c.Name) + " (" + Place(c) + ")"))}");
        }
    }

    private static void WriteJson(Stream stream, IReadOnlyList<DeclaredConnection> connections, List<Group> accounts, List<Group> tokens)
    {
        using var json = new Utf8JsonWriter(stream, Json.Options);
        json.WriteStartObject();
        json.WriteStartArray("connections");
        foreach (DeclaredConnection c in connections)
        {
            json.WriteStartObject();
            WriteReference(json, c);
            json.WriteString("instanceUrl", Instance(c));
            json.WriteString("account", c.AccountArgument);
            json.WriteString("auth", c.Connection is null ? null : c.Connection.Auth == JiraAuthKind.Bearer ? "bearer" : "basic");
            json.WriteString("token", c.Connection?.ApiToken.ToString());
            json.WriteString("problem", c.Problem);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteGroupsJson(json, "sharedAccounts", "account", accounts);
        WriteGroupsJson(json, "sharedTokens", "token", tokens);
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static void WriteGroupsJson(Utf8JsonWriter json, string property, string key, List<Group> groups)
    {
        json.WriteStartArray(property);
        foreach (Group group in groups)
        {
            json.WriteStartObject();
            json.WriteString(key, group.Name);
            json.WriteStartArray("connections");
            foreach (DeclaredConnection c in group.Connections)
            {
                json.WriteStartObject();
                WriteReference(json, c);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteReference(Utf8JsonWriter json, DeclaredConnection c)
    {
        json.WriteString("nickname", c.Spec.Nickname);
        json.WriteString("path", Shared.Portable(c.Path));
        if (c.Line > 0)
        {
            json.WriteNumber("line", c.Line);
        }
        else
        {
            json.WriteNull("line");
        }
    }
}
