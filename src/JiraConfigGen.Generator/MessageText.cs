using System.Globalization;
using System.Text;

namespace JiraConfigGen.Generator
{
    /// <summary>Makes a value from the file safe to repeat in a diagnostic message.</summary>
    internal static class MessageText
    {
        /// <summary>The longest value repeated in a message; longer ones are cut with an ellipsis.</summary>
        public const int MaxLength = 80;

        /// <summary>
        /// The value with control characters, line breaks and unpaired surrogates written as
        /// <c>\uXXXX</c>, and cut to <see cref="MaxLength"/> characters.
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
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    builder.Append(c).Append(value[i + 1]);
                    i++;
                }
                else if (char.IsControl(c) || char.IsSurrogate(c) || c == '\u2028' || c == '\u2029')
                {
                    builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }
    }
}
