namespace LnbitsMcp.Server.Sessions;

/// <summary>How current a session read must be.</summary>
public enum SessionFreshness
{
    /// <summary>As the store holds it now: every call that pays or changes anything reads this way.</summary>
    Current,

    /// <summary>
    /// A copy this instance confirmed with the store within <see cref="RedisSessionStore.RecentWindow"/> is good
    /// enough: read-only tool calls, which then cost no store round trip. The copy is of the same session and
    /// owner; at most it misses a configuration change made on another instance in that last second. So does this
    /// instance's word that an MCP connection has no session (a binding made on another instance in that second).
    /// </summary>
    Recent,
}
