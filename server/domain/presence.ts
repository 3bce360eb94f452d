/**
 * Who is looking at, and typing in, a conversation. The state lives on the sockets themselves
 * (`socket.data`), which the Socket.IO Redis adapter can read from every server process
 * (`fetchSockets`), so presence needs no table and vanishes with the connection.
 */

/** How long a "typing" lasts without the console repeating it. */
export const TYPING_TTL_MS = 6000;

/** What each socket carries (plain JSON: remote processes read it through the adapter). */
export type PresenceData = {
  user: { id: string; name: string };
  /** conversationId → epoch ms when the typing lapses. */
  typing: Record<string, number>;
};

export type PresenceEntry = { userId: string | null; name: string };

/**
 * From the sockets in a conversation's room: the viewers and the typers other than `selfUserId`, one
 * entry per person (an agent with two tabs open counts once).
 */
export function presenceOf(sockets: Array<{ data: Partial<PresenceData> }>, conversationId: string, selfUserId: string, now: number) {
  const viewers = new Map<string, PresenceEntry>();
  const typing = new Map<string, PresenceEntry>();
  for (const s of sockets) {
    const user = s.data.user;
    if (!user || user.id === selfUserId) continue;
    viewers.set(user.id, { userId: user.id, name: user.name });
    if ((s.data.typing?.[conversationId] ?? 0) > now) typing.set(user.id, { userId: user.id, name: user.name });
  }
  return { viewers: [...viewers.values()], typing: [...typing.values()] };
}

/** Whether this user still has another socket in the room (then leaving one tab is no "left"). */
export function stillThere(sockets: Array<{ id: string; data: Partial<PresenceData> }>, userId: string, leavingSocketId: string): boolean {
  return sockets.some((s) => s.id !== leavingSocketId && s.data.user?.id === userId);
}
