using System;
using System.IO;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Cli.Inputs;

/// <summary>
/// Reads a file into the text the compiler gives the generator for it, so that lines, columns and quoted
/// values match the build: a byte order mark names the encoding (and is not part of the text), otherwise
/// the bytes are UTF-8, any that are not being read as U+FFFD.
/// </summary>
internal static class SourceFiles
{
    // Bytes that are not UTF-8 become U+FFFD, as the compiler reads them: same columns, same messages.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <exception cref="CommandException">The file cannot be read.</exception>
    public static SourceText Read(string path, string shownAs)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            string reason = e is FileNotFoundException or DirectoryNotFoundException
                ? "it does not exist (a broken symbolic link?)"
                : e.Message;
            throw new CommandException($"cannot read {shownAs}: {reason}", e);
        }

        return SourceText.From(Decode(bytes));
    }

    /// <summary>The text of <paramref name="bytes"/>, as the compiler decodes a file without a code page set.</summary>
    public static string Decode(byte[] bytes)
    {
        ReadOnlySpan<byte> data = bytes;
        if (data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Encoding.UTF8.GetString(data.Slice(3));
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(data.Slice(2));
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(data.Slice(2));
        }

        return Utf8.GetString(data);
    }
}
