using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Cli.Reports;

/// <summary>
/// Hides what could be a secret in a line of a connections file before the line is shown: the value of an
/// <c>apiToken</c> written as a string (JCG007), a string that looks like an Atlassian API token
/// (<c>ATATT...</c>), and the password of user-info in a URL (<c>https://user:password@host</c>). Each
/// hidden character becomes <c>*</c>, so the caret under the line still points at the right column.
/// </summary>
internal static class SecretMask
{
    private const string AtlassianTokenPrefix = "ATATT";
    private const string ApiTokenKey = "\"apiToken\"";

    /// <param name="line">The line's text.</param>
    /// <param name="lineStart">Its position in the file.</param>
    /// <param name="tokenSpans">Where the file's <c>apiToken</c> values are.</param>
    public static string Apply(string line, int lineStart, IEnumerable<TextSpan> tokenSpans)
    {
        char[] chars = line.ToCharArray();
        foreach (TextSpan span in tokenSpans)
        {
            // A string value (an object, such as { "env": "X" }, names where the token is and stays).
            int from = span.Start - lineStart;
            if (from >= 0 && from < line.Length && line[from] == '"')
            {
                Hide(chars, from, Math.Min(span.End - lineStart, line.Length), keepQuotes: true);
            }
        }

        bool afterApiTokenKey = false;
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] != '"')
            {
                if (!char.IsWhiteSpace(line[i]) && line[i] != ':')
                {
                    afterApiTokenKey = false;
                }

                continue;
            }

            int end = StringEnd(line, i);
            string content = line.Substring(i + 1, end - i - 1);
            if (afterApiTokenKey || content.StartsWith(AtlassianTokenPrefix, StringComparison.Ordinal))
            {
                Hide(chars, i + 1, end, keepQuotes: false);
            }
            else if (UserInfoPassword(content) is (int start, int length))
            {
                Hide(chars, i + 1 + start, i + 1 + start + length, keepQuotes: false);
            }

            afterApiTokenKey = string.CompareOrdinal(line, i, ApiTokenKey, 0, ApiTokenKey.Length) == 0 && end == i + ApiTokenKey.Length - 1;
            i = end;
        }

        return new string(chars);
    }

    /// <summary>The index of the quote that closes the string opened at <paramref name="open"/> (or the line's end).</summary>
    private static int StringEnd(string line, int open)
    {
        for (int i = open + 1; i < line.Length; i++)
        {
            if (line[i] == '\\')
            {
                i++;
            }
            else if (line[i] == '"')
            {
                return i;
            }
        }

        return line.Length;
    }

    /// <summary>In <c>scheme://user:password@host</c> or <c>user:password@host</c>, where the part after the user is.</summary>
    private static (int Start, int Length)? UserInfoPassword(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        int scheme = value.IndexOf("://", StringComparison.Ordinal);
        int authority = scheme >= 0 ? scheme + 3 : 0;
        int slash = value.IndexOf('/', authority);
        int at = value.LastIndexOf('@', slash < 0 ? value.Length - 1 : slash);
        if (at < authority)
        {
            return null;
        }

        int colon = value.IndexOf(':', authority, at - authority);
        return colon < 0 ? null : (colon + 1, at - colon - 1);
    }

    private static void Hide(char[] chars, int from, int to, bool keepQuotes)
    {
        for (int i = from; i < to; i++)
        {
            if (!(keepQuotes && chars[i] == '"') && !char.IsWhiteSpace(chars[i]))
            {
                chars[i] = '*';
            }
        }
    }
}
