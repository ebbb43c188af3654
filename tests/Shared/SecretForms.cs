using System.Security.Cryptography;
using System.Text;

namespace JiraConfigGen.Tests.Infrastructure;

/// <summary>Every form in which a token could leak, and a scan for them.</summary>
public static class SecretForms
{
    /// <summary>
    /// Each token as it is, the Basic credential <c>base64(username:token)</c>, and fast hashes of both
    /// (SHA-256, SHA-1, MD5; hex in either case and base64): what no log, metric, trace, exception or store may hold.
    /// </summary>
    public static IReadOnlyList<string> Of(IEnumerable<string> tokens, string username)
    {
        var forms = new List<string>();
        foreach (string token in tokens)
        {
            byte[] plain = Encoding.UTF8.GetBytes(token);
            byte[] basic = Encoding.UTF8.GetBytes(username + ":" + token);
            forms.Add(token);
            forms.Add(Convert.ToBase64String(basic));
            foreach (byte[] hash in new[] { SHA256.HashData(plain), SHA1.HashData(plain), MD5.HashData(plain), SHA256.HashData(basic), SHA1.HashData(basic), MD5.HashData(basic) })
            {
                forms.Add(Convert.ToHexStringLower(hash));
                forms.Add(Convert.ToHexString(hash));
                forms.Add(Convert.ToBase64String(hash));
            }
        }

        return forms;
    }

    /// <summary>The first text that holds one of <paramref name="forms"/>, or null.</summary>
    public static string? FindIn(IEnumerable<string> texts, IReadOnlyList<string> forms)
    {
        foreach (string text in texts)
        {
            foreach (string form in forms)
            {
                if (text.Contains(form, StringComparison.Ordinal))
                {
                    return text;
                }
            }
        }

        return null;
    }
}
