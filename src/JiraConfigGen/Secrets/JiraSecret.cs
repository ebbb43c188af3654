using System;
using System.Diagnostics;

namespace JiraConfigGen
{
    /// <summary>
    /// A resolved token. It prints, logs and serialises as its reference only (<c>env:JIRA_PROD_TOKEN</c>):
    /// the value is reachable through <see cref="RevealValue"/> alone, so it cannot slip into a log line,
    /// an exception message or a debugger tooltip by accident.
    /// </summary>
    [DebuggerDisplay("{ToString(),nq}")]
    public sealed class JiraSecret
    {
        private readonly string _value;

        internal JiraSecret(JiraSecretReference reference, string value, long version)
        {
            Reference = reference;
            _value = value;
            Version = version;
        }

        /// <summary>Where the value was read from.</summary>
        public JiraSecretReference Reference { get; }

        /// <summary>Grows each time the resolver reads a different value for the same reference: a rotation.</summary>
        public long Version { get; }

        /// <summary>The token itself. Use it only to authenticate; never log or display it.</summary>
        /// <returns>The token.</returns>
        public string RevealValue() => _value;

        /// <summary>The reference and a placeholder, never the value.</summary>
        /// <returns>For example <c>env:JIRA_PROD_TOKEN (value hidden)</c>.</returns>
        public override string ToString() => Reference + " (value hidden)";

        /// <summary>Whether this secret holds the same value as <paramref name="value"/>, in constant time.</summary>
        internal bool HasValue(string value)
        {
            if (value.Length != _value.Length)
            {
                return false;
            }

            int difference = 0;
            for (int i = 0; i < value.Length; i++)
            {
                difference |= value[i] ^ _value[i];
            }

            return difference == 0;
        }
    }
}
