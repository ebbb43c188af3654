using System.Text.Encodings.Web;
using System.Text.Json;

namespace JiraConfigGen.Cli.Reports;

/// <summary>How the tool writes JSON: readable (<c>'</c> and non-ASCII letters as they are), since no report is embedded in HTML.</summary>
internal static class Json
{
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static JsonWriterOptions Options => new() { Indented = true, Encoder = Encoder };
}
