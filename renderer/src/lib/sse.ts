// An incremental parser for text/event-stream, as the HTML standard defines it
// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
// Text arrives in chunks that may split a line, a CRLF pair or a field anywhere; the
// caller decodes bytes with a streaming TextDecoder so characters are never split.

export interface SseMessage {
  /** "message" unless the stream named it with an `event:` field. */
  event: string;
  data: string;
  /** The last event id seen, if any. */
  id: string | null;
}

export interface SseParser {
  push(text: string): void;
  /** The stream ended: a message without its closing blank line is dropped, as the standard says. */
  end(): void;
}

export function createSseParser(
  onMessage: (message: SseMessage) => void,
  onRetry?: (ms: number) => void,
): SseParser {
  let buffer = '';
  let data = '';
  let hasData = false;
  let eventType = '';
  let lastId: string | null = null;
  let started = false;
  // A chunk ended right after a CR: a LF at the start of the next chunk belongs to it.
  let skipLeadingLf = false;

  function dispatch(): void {
    if (!hasData) {
      eventType = '';
      return;
    }
    const message = { event: eventType || 'message', data, id: lastId };
    data = '';
    hasData = false;
    eventType = '';
    onMessage(message);
  }

  function line(text: string): void {
    if (text === '') {
      dispatch();
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        data = hasData ? `${data}\n${value}` : value;
        hasData = true;
        break;
      case 'event':
        eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) lastId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) onRetry?.(Number(value));
        break;
      default:
        break;
    }
  }

  return {
    push(text: string): void {
      if (text === '') return;
      if (!started) {
        started = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (skipLeadingLf) {
        skipLeadingLf = false;
        if (text.startsWith('\n')) text = text.slice(1);
      }
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        line(buffer.slice(start, i));
        if (c === 13) {
          if (i + 1 === buffer.length) skipLeadingLf = true;
          else if (buffer.charCodeAt(i + 1) === 10) i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    end(): void {
      buffer = '';
      data = '';
      hasData = false;
      eventType = '';
    },
  };
}
