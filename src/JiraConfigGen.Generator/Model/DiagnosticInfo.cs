using System.Linq;
using Microsoft.CodeAnalysis;

namespace JiraConfigGen.Generator.Model
{
    /// <summary>A diagnostic waiting to be reported: its descriptor, place and message arguments, all equatable.</summary>
    internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArgs) =>
            new(descriptor, location, messageArgs.ToEquatableArray());

        public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

        public Diagnostic ToDiagnostic() =>
            Diagnostic.Create(Descriptor, Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, MessageArgs.AsImmutableArray().ToArray());
    }
}
