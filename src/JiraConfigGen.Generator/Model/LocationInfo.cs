using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Model
{
    /// <summary>
    /// A place in a connections file, kept as values so it can flow between pipeline steps
    /// (a <see cref="Location"/> cannot: it is not equatable across runs). A struct: every connection
    /// carries a few, and 10,000 connections should not mean 40,000 objects.
    /// </summary>
    internal readonly record struct LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

        /// <summary>
        /// <c>teams/ops/jira-connections.json(line,column)</c> with 1-based numbers, as the build prints it: the path
        /// relative to <paramref name="projectDirectory"/>, the full path for a file outside it, the file name when the
        /// project's directory is not known.
        /// </summary>
        public string Describe(string? projectDirectory) =>
            $"{RelativePath(FilePath, projectDirectory)}({LineSpan.Start.Line + 1},{LineSpan.Start.Character + 1})";

        private static string RelativePath(string path, string? directory)
        {
            if (directory is null || directory.Trim().Length == 0)
            {
                return System.IO.Path.GetFileName(path);
            }

            int length = directory.Length;
            while (length > 0 && directory[length - 1] is '/' or '\\')
            {
                length--;
            }

            bool inside = path.Length > length + 1 && string.CompareOrdinal(path, 0, directory, 0, length) == 0 && path[length] is '/' or '\\';
            return inside ? path.Substring(length + 1).Replace('\\', '/') : path;
        }
    }

    /// <summary>
    /// A <see cref="LocationInfo"/> without the file's path, for the values a connection keeps for later
    /// messages: its connection holds the path once (three spans of 10,000 connections are 30,000 places).
    /// </summary>
    internal readonly record struct ValueSpan(TextSpan Span, LinePositionSpan LineSpan)
    {
        public LocationInfo In(string filePath) => new(filePath, Span, LineSpan);
    }
}
