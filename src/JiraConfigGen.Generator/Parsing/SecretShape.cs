using System;

namespace JiraConfigGen.Generator.Parsing
{
    /// <summary>
    /// Whether a string that should be a name (an environment variable, a configuration key, a file path) looks like a
    /// secret pasted in its place (JCG007). Names are made of words; secrets are long random runs. A string looks like a
    /// secret when, trimmed, it
    /// <list type="bullet">
    /// <item>starts with <c>ATATT</c>, the prefix of every Atlassian API token; or</item>
    /// <item>has 32 or more hexadecimal digits in a row, with both digits and letters; or</item>
    /// <item>
    /// has a run (letters, digits, <c>_</c>, <c>-</c>, <c>+</c>, <c>=</c>) of 20 or more letters and digits that mixes upper
    /// case, lower case and digits, in which at least 2 in 5 of the words (a capital and its lower-case letters, or
    /// capitals together, as in <c>JiraApiToken</c> or <c>EU</c>) are one letter long, or two not both capitals: random
    /// text breaks into such scraps, names into words.
    /// </item>
    /// </list>
    /// The rule is a heuristic; its tests give how many random tokens it catches and which names it leaves alone.
    /// </summary>
    internal static class SecretShape
    {
        /// <summary>The prefix of Atlassian API tokens.</summary>
        public const string AtlassianTokenPrefix = "ATATT";

        private const int MinimumRandomRun = 20;
        private const int MinimumHexRun = 32;

        /// <summary>Whether <paramref name="value"/> looks like a secret rather than a name.</summary>
        public static bool LooksLikeSecret(string value)
        {
            string trimmed = value.Trim();
            if (IsAtlassianToken(trimmed))
            {
                return true;
            }

            // Most names are short or made of short runs: only a run with enough letters and digits is looked at closely.
            int start = 0;
            while (start < trimmed.Length)
            {
                int end = start, alphanumerics = 0;
                while (end < trimmed.Length && IsRunChar(trimmed[end]))
                {
                    alphanumerics += IsAsciiLetterOrDigit(trimmed[end]) ? 1 : 0;
                    end++;
                }

                if (alphanumerics >= MinimumRandomRun && IsRandomRun(trimmed, start, end))
                {
                    return true;
                }

                start = end + 1;
            }

            return false;
        }

        /// <summary>Whether <paramref name="value"/> (trimmed) starts with <see cref="AtlassianTokenPrefix"/>.</summary>
        public static bool IsAtlassianToken(string value) => value.TrimStart().StartsWith(AtlassianTokenPrefix, StringComparison.Ordinal);

        private static bool IsRunChar(char c) => IsAsciiLetterOrDigit(c) || c is '_' or '-' or '+' or '=';

        private static bool IsRandomRun(string text, int start, int end)
        {
            if (HasHexStreak(text, start, end))
            {
                return true;
            }

            int alphanumerics = 0, upper = 0, lower = 0, digits = 0;
            int words = 0, scraps = 0;
            for (int i = start; i < end;)
            {
                char c = text[i];
                if (!IsAsciiLetterOrDigit(c))
                {
                    i++;
                    continue;
                }

                alphanumerics++;
                if (IsDigit(c))
                {
                    digits++;
                    i++;
                    continue;
                }

                // A word: capitals together (an acronym, and the capital that starts the next word if lower case
                // follows), or one capital and the lower-case letters after it, or lower-case letters alone.
                int wordStart = i;
                bool acronym = false;
                if (IsUpper(c))
                {
                    int capitals = i;
                    while (capitals < end && IsUpper(text[capitals]))
                    {
                        capitals++;
                    }

                    if (capitals - i > 1)
                    {
                        acronym = true;
                        i = capitals < end && IsLower(text[capitals]) ? capitals - 1 : capitals;
                    }
                    else
                    {
                        i++;
                    }
                }

                if (!acronym)
                {
                    while (i < end && IsLower(text[i]))
                    {
                        i++;
                    }
                }

                for (int j = wordStart; j < i; j++)
                {
                    char letter = text[j];
                    upper += IsUpper(letter) ? 1 : 0;
                    lower += IsLower(letter) ? 1 : 0;
                }

                alphanumerics += i - wordStart - 1;
                int length = i - wordStart;
                words++;
                scraps += length == 1 || (length == 2 && !acronym) ? 1 : 0;
            }

            return alphanumerics >= MinimumRandomRun && upper > 0 && lower > 0 && digits > 0 && scraps * 5 >= words * 2;
        }

        /// <summary>32 or more hexadecimal digits in a row, among them digits and letters (a UUID's groups are shorter).</summary>
        private static bool HasHexStreak(string text, int start, int end)
        {
            int streak = 0;
            bool digit = false, letter = false;
            for (int i = start; i < end; i++)
            {
                char c = text[i];
                bool hexLetter = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                if (!IsDigit(c) && !hexLetter)
                {
                    (streak, digit, letter) = (0, false, false);
                    continue;
                }

                streak++;
                digit |= IsDigit(c);
                letter |= hexLetter;
                if (streak >= MinimumHexRun && digit && letter)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private static bool IsUpper(char c) => c >= 'A' && c <= 'Z';

        private static bool IsLower(char c) => c >= 'a' && c <= 'z';

        private static bool IsAsciiLetterOrDigit(char c) => IsDigit(c) || IsUpper(c) || IsLower(c);
    }
}
