namespace JiraConfigGen.Generator
{
    /// <summary>
    /// The characters C# ends a line at (CR, LF, U+0085, U+2028, U+2029; CR LF is one break), so that the
    /// lines the parser counts, the places diagnostics give and the lines of emitted doc comments are the
    /// compiler's lines.
    /// </summary>
    internal static class LineBreaks
    {
        /// <summary>Every line-break character, for a search.</summary>
        public const string All = "\r\n\u0085\u2028\u2029";

        public static bool Is(char c) => c <= '\r' ? c is '\n' or '\r' : c is '\u0085' or '\u2028' or '\u2029';

        /// <summary>Where the line after the break at <paramref name="at"/> starts (past CR LF as one break, within <paramref name="length"/>).</summary>
        public static int End(char[] text, int at, int length) =>
            text[at] == '\r' && at + 1 < length && text[at + 1] == '\n' ? at + 2 : at + 1;
    }
}
