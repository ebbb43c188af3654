using System.Globalization;
using System.Text;

// How a value written by a user (a nickname, a URL, a description) is repeated in a message: the generator's
// diagnostics and generated doc comments, the runtime's exceptions, the command-line tool's output. Linked into
// each, so no message anywhere can carry a bidirectional control that reverses the rest of its line.
namespace JiraConfigGen.Shared
{
    /// <summary>Makes a value from a file or a caller safe to repeat in a message.</summary>
    internal static class MessageText
    {
        /// <summary>The longest value repeated in a message; longer ones are cut with an ellipsis.</summary>
        public const int MaxLength = 80;

        /// <summary>
        /// The value with every invisible character (<see cref="IsInvisible(string, int)"/>) and unpaired surrogate written
        /// as <c>\uXXXX</c> (<c>\UXXXXXXXX</c> beyond the BMP), and cut to <see cref="MaxLength"/> characters.
        /// </summary>
        public static string Quote(string value)
        {
            var builder = new StringBuilder(System.Math.Min(value.Length, MaxLength) + 8);
            for (int i = 0; i < value.Length; i++)
            {
                if (builder.Length >= MaxLength)
                {
                    builder.Append('…');
                    break;
                }

                char c = value[i];
                bool pair = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
                if (IsInvisible(value, i) || (char.IsSurrogate(c) && !pair))
                {
                    builder.Append(pair
                        ? "\\U" + char.ConvertToUtf32(c, value[i + 1]).ToString("X8", CultureInfo.InvariantCulture)
                        : "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                    if (pair)
                    {
                        builder.Append(value[i + 1]);
                    }
                }

                i += pair ? 1 : 0;
            }

            return builder.ToString();
        }

        /// <summary>
        /// Whether the character at <paramref name="index"/> (a surrogate pair counts as one) is one a reader cannot see
        /// or that changes how the rest of the line shows: controls, line and paragraph separators, and format characters
        /// (among them the bidirectional controls U+202A to U+202E and U+2066 to U+2069, which reverse what follows in a
        /// terminal or an error list, and zero-width and tag characters).
        /// </summary>
        public static bool IsInvisible(string value, int index)
        {
            char c = value[index];
            if (c < 0x7F)
            {
                return c < 0x20;
            }

            UnicodeCategory category = char.IsHighSurrogate(c) && index + 1 < value.Length && char.IsLowSurrogate(value[index + 1])
                ? CharUnicodeInfo.GetUnicodeCategory(value, index)
                : CharUnicodeInfo.GetUnicodeCategory(c);
            return category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
        }
    }
}
