using System;
using System.Collections.Generic;
using JiraConfigGen.Generator.Model;

namespace JiraConfigGen.Cli.Validation;

/// <summary>
/// One connection object of a file, as declared: where, its nickname (or <c>#3</c>), and, when the build would
/// give it a working accessor, the runtime's <see cref="JiraConnection"/> for it.
/// </summary>
/// <param name="Spec">What the generator read.</param>
/// <param name="Connection">The runtime connection; null when it has errors (<see cref="Problem"/> says which).</param>
/// <param name="Problem">Why it is not usable: its errors' IDs, or the rule that kept it out of the class.</param>
internal sealed record DeclaredConnection(ConnectionSpec Spec, JiraConnection? Connection, string? Problem)
{
    /// <summary><c>Production</c>, or <c>#3</c> for a connection without a nickname.</summary>
    public string Name => Spec.Nickname ?? "#" + Spec.Ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string Path => Spec.FilePath;

    /// <summary>The 1-based line of its nickname; 0 when it has none.</summary>
    public int Line => Spec.NicknameSpan is { } span ? span.LineSpan.Start.Line + 1 : 0;

    /// <summary>The account as <c>guard --account</c> takes it: <c>INSTANCE/USER</c>.</summary>
    public string? AccountArgument => Connection is null ? null : Connection.Account.Instance + "/" + Connection.Account.Username;

    /// <summary>Every connection of <paramref name="result"/>, in set, file and declaration order.</summary>
    public static IReadOnlyList<DeclaredConnection> All(ValidationResult result)
    {
        var all = new List<DeclaredConnection>();
        foreach (ConnectionSet set in result.Sets)
        {
            var kept = new HashSet<AccessorSpec>(ReferenceEqualityComparer.Instance);
            foreach (AccessorSpec accessor in set.Result.Source?.Accessors ?? EquatableArray<AccessorSpec>.Empty)
            {
                kept.Add(accessor);
            }

            foreach (FileSpec file in set.Files)
            {
                foreach (ConnectionSpec spec in file.Connections)
                {
                    all.Add(Create(spec, kept));
                }
            }
        }

        return all;
    }

    private static DeclaredConnection Create(ConnectionSpec spec, HashSet<AccessorSpec> kept)
    {
        if (spec.ErrorIds.Count > 0)
        {
            return new DeclaredConnection(spec, null, "has errors: " + string.Join(", ", spec.ErrorIds));
        }

        if (spec.Accessor is not { } accessor || !kept.Contains(accessor))
        {
            return new DeclaredConnection(spec, null, spec.Nickname is null ? "has no nickname" : "its nickname repeats or clashes with another (JCG002, JCG008)");
        }

        JiraSecretReference token = accessor.Token!.Value.Source switch
        {
            "config" => JiraSecretReference.Configuration(accessor.Token.Value.Name),
            "env" => JiraSecretReference.Environment(accessor.Token.Value.Name),
            _ => JiraSecretReference.File(accessor.Token.Value.Name),
        };
        JiraAuthKind auth = accessor.Auth == "bearer" ? JiraAuthKind.Bearer : JiraAuthKind.Basic;
        try
        {
            var connection = new JiraConnection(accessor.Nickname, accessor.Username, accessor.InstanceUrl!, token, auth, accessor.Description, accessor.Events, accessor.Webhooks);
            return new DeclaredConnection(spec, connection, null);
        }
        catch (ArgumentException e)
        {
            // The generator and the runtime check the same rules; this is a safety net, not a path.
            return new DeclaredConnection(spec, null, e.Message);
        }
    }
}
