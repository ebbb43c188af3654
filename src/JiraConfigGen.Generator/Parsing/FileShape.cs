using System;
using System.Globalization;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Parsing
{
    /// <summary>
    /// What a bug report may say about a file: its size and structure, counted without reading any value, so that a
    /// report of an internal error (JCG017) can be shared without the file's content.
    /// </summary>
    internal static class FileShape
    {
        /// <summary><c>2,048 characters on 60 lines; 9 objects, 2 arrays, 41 strings, nested 4 deep</c>. Never throws.</summary>
        public static string Describe(SourceText text)
        {
            try
            {
                int lines = 1, objects = 0, arrays = 0, strings = 0, depth = 0, deepest = 0;
                bool inString = false, escaped = false;
                for (int i = 0; i < text.Length; i++)
                {
                    char c = text[i];
                    lines += c == '\n' ? 1 : 0;
                    if (inString)
                    {
                        inString = escaped || c != '"';
                        escaped = !escaped && c == '\\';
                        continue;
                    }

                    switch (c)
                    {
                        case '"': inString = true; strings++; break;
                        case '{': objects++; deepest = Math.Max(deepest, ++depth); break;
                        case '[': arrays++; deepest = Math.Max(deepest, ++depth); break;
                        case '}': case ']': depth--; break;
                    }
                }

                return $"{Count(text.Length, "character")} on {Count(lines, "line")}; {Count(objects, "object")}, {Count(arrays, "array")}, {Count(strings, "string")}, nested {deepest.ToString(CultureInfo.InvariantCulture)} deep";
            }
            catch (Exception exception)
            {
                // The text itself may be what failed.
                return "its text could not be read: " + exception.GetType().Name;
            }
        }

        private static string Count(int count, string noun) =>
            count.ToString("N0", CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");
    }
}
