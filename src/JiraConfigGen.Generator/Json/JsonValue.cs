using System.Collections.Generic;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Json
{
    internal enum JsonKind
    {
        Object,
        Array,
        String,
        Number,
        True,
        False,
        Null,
    }

    /// <summary>
    /// A JSON value and where it is in the text. Lives only inside the parse step: the model that
    /// leaves it holds plain values and <see cref="Model.LocationInfo"/>s.
    /// </summary>
    internal sealed class JsonValue
    {
        private JsonValue(JsonKind kind, TextSpan span, string? text)
        {
            Kind = kind;
            Span = span;
            Text = text;
        }

        public JsonKind Kind { get; }

        /// <summary>The whole value; for a container, from its opening bracket to its closing one.</summary>
        public TextSpan Span { get; private set; }

        /// <summary>A string's decoded value, or a number's text as written.</summary>
        public string? Text { get; }

        /// <summary>An object's properties in order, repeats included.</summary>
        public List<JsonProperty> Properties { get; } = new();

        /// <summary>An array's items in order.</summary>
        public List<JsonValue> Items { get; } = new();

        /// <summary>False for a container the text ended (or broke) inside of: its content may be partial.</summary>
        public bool IsComplete { get; private set; } = true;

        public static JsonValue Scalar(JsonKind kind, TextSpan span, string? text = null) => new(kind, span, text);

        public static JsonValue Container(JsonKind kind, int start) => new(kind, new TextSpan(start, 1), null);

        public void Close(int end) => Span = TextSpan.FromBounds(Span.Start, end);

        public void MarkIncomplete(int end)
        {
            IsComplete = false;
            Span = TextSpan.FromBounds(Span.Start, end);
        }

        public string KindName => Kind switch
        {
            JsonKind.Object => "an object",
            JsonKind.Array => "an array",
            JsonKind.String => "a string",
            JsonKind.Number => "a number",
            JsonKind.True or JsonKind.False => "a boolean",
            _ => "null",
        };
    }

    internal sealed class JsonProperty
    {
        public JsonProperty(string name, TextSpan nameSpan, JsonValue value)
        {
            Name = name;
            NameSpan = nameSpan;
            Value = value;
        }

        public string Name { get; }

        /// <summary>The property name with its quotes.</summary>
        public TextSpan NameSpan { get; }

        public JsonValue Value { get; }
    }
}
