// The name an MCP client gives itself (`clientInfo.name` in its `initialize` request), for the
// activity log. OAuth clients have a registered name; a local client in loopback-only mode has
// none, and in stateless Streamable HTTP only its first request (`initialize`) carries clientInfo.
// So the name is remembered per caller: the SSE session when there is one, else the client's
// address and User-Agent. That is a label for the log, never an identity: nothing is decided by it.

const MAX_CALLERS = 200;

export class ClientNames {
  private readonly names = new Map<string, string>();

  /** Remembers the name from an `initialize` in this body (one message or a batch), if any. */
  learn(caller: string, body: unknown): void {
    const messages: unknown[] = Array.isArray(body) ? body : [body];
    for (const m of messages) {
      const message = m as { method?: unknown; params?: { clientInfo?: { name?: unknown } } } | null;
      const name = message?.method === 'initialize' ? message.params?.clientInfo?.name : undefined;
      if (typeof name !== 'string' || !name.trim()) continue;
      // Newest last, so the oldest caller is dropped first when the map is full.
      this.names.delete(caller);
      this.names.set(caller, name.trim().slice(0, 100));
      if (this.names.size > MAX_CALLERS) this.names.delete(this.names.keys().next().value as string);
    }
  }

  nameOf(caller: string): string | null {
    return this.names.get(caller) ?? null;
  }

  forget(caller: string): void {
    this.names.delete(caller);
  }
}

/** Who is calling /mcp, as far as a label goes: the socket address and the User-Agent. */
export function callerKey(req: {
  socket: { remoteAddress?: string };
  headers: Record<string, unknown>;
}): string {
  return `${req.socket.remoteAddress ?? ''}|${String(req.headers['user-agent'] ?? '')}`;
}
