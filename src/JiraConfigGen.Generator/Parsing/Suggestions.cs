using System;
using System.Collections.Generic;

namespace JiraConfigGen.Generator.Parsing
{
    /// <summary>"Did you mean" for misspelt property names and values.</summary>
    internal static class Suggestions
    {
        /// <summary>The candidate closest to <paramref name="written"/>, when it is close enough to be a typo.</summary>
        public static string? Closest(string written, IEnumerable<string> candidates)
        {
            if (written.Length > 64)
            {
                return null;
            }

            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (string candidate in candidates)
            {
                int distance = Distance(written.ToLowerInvariant(), candidate.ToLowerInvariant());
                if (distance < bestDistance)
                {
                    best = candidate;
                    bestDistance = distance;
                }
            }

            // A different case is always a typo; otherwise allow one edit per four characters, at least one.
            return best is not null && bestDistance <= Math.Max(1, best.Length / 4) ? best : null;
        }

        /// <summary>Levenshtein distance (insert, delete, substitute), with two rows of memory.</summary>
        private static int Distance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++)
            {
                previous[j] = j;
            }

            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }

                (previous, current) = (current, previous);
            }

            return previous[b.Length];
        }
    }
}
