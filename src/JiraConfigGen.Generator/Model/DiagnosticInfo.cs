using System.Linq;
using Microsoft.CodeAnalysis;

namespace JiraConfigGen.Generator.Model
{
    /// <summary>A diagnostic waiting to be reported: its descriptor, place and message arguments, all equatable.</summary>
    /// <param name="AdditionalLocation">Another place the message names (the first of two duplicates), which the IDE and SARIF link to.</param>
    internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs, LocationInfo? AdditionalLocation = null)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArgs) =>
            new(descriptor, location, messageArgs.ToEquatableArray());

        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, LocationInfo? additionalLocation, params string[] messageArgs) =>
            new(descriptor, location, messageArgs.ToEquatableArray(), additionalLocation);

        public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

        public Diagnostic ToDiagnostic() =>
            Diagnostic.Create(
                Descriptor,
                Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None,
                AdditionalLocation is { } additional ? new[] { additional.ToLocation() } : null,
                MessageArgs.AsImmutableArray().ToArray());
    }
}
