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

        /// <summary><c>file.json(line,column)</c> with 1-based numbers, as the build prints it.</summary>
        public string Describe() =>
            $"{System.IO.Path.GetFileName(FilePath)}({LineSpan.Start.Line + 1},{LineSpan.Start.Character + 1})";
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
