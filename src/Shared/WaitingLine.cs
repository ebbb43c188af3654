// The line of callers waiting for their turn at a guard store: first come, first served.
// Linked into the runtime (the in-memory store) and the Redis store (a process's own line), so both keep
// their waiting callers the same way.
using System.Threading.Tasks;

namespace JiraConfigGen.Shared
{
    /// <summary>A caller waiting for its turn: its task completes with the store's decision. Linked into its line.</summary>
    internal abstract class WaitingCaller : TaskCompletionSource<JiraAdmission>
    {
        protected WaitingCaller()
            : base(TaskCreationOptions.RunContinuationsAsynchronously) // continuations never run under the store's lock
        {
        }

        /// <summary>Whether it is still in its line (neither given its turn nor gone).</summary>
        public bool Queued { get; set; }

        internal WaitingCaller? Previous { get; set; }

        internal WaitingCaller? Next { get; set; }
    }

    /// <summary>
    /// Waiting callers in their order of arrival, linked through the callers themselves (no node allocated per
    /// caller). Not thread-safe: its owner holds a lock around every use.
    /// </summary>
    internal sealed class WaitingLine<T>
        where T : WaitingCaller
    {
        private T? _first;
        private T? _last;

        public T? First => _first;

        public static T? After(T caller) => (T?)caller.Next;

        public void Add(T caller)
        {
            caller.Queued = true;
            caller.Previous = _last;
            if (_last is null)
            {
                _first = caller;
            }
            else
            {
                _last.Next = caller;
            }

            _last = caller;
        }

        public void Remove(T caller)
        {
            caller.Queued = false;
            if (caller.Previous is null)
            {
                _first = (T?)caller.Next;
            }
            else
            {
                caller.Previous.Next = caller.Next;
            }

            if (caller.Next is null)
            {
                _last = (T?)caller.Previous;
            }
            else
            {
                caller.Next.Previous = caller.Previous;
            }

            caller.Previous = caller.Next = null;
        }
    }
}
