// Reads a text/event-stream body as it arrives: bytes in, messages out. The parsing is
// eventsource-parser's (the HTML standard's algorithm); this wrapper adds what a fetch body
// needs around it: a streaming decoder (chunks may split a character; it also drops the
// byte-order mark) and the end of the stream (a message without its closing blank line is
// dropped, as the standard says).
import { createParser } from 'eventsource-parser';

export interface SseMessage {
  /** "message" unless the stream named it with an `event:` field. */
  event: string;
  data: string;
}

export interface SseParser {
  push(bytes: Uint8Array): void;
  /** The stream ended. */
  end(): void;
}

export function createSseParser(
  onMessage: (message: SseMessage) => void,
  onRetry?: (ms: number) => void,
): SseParser {
  const decoder = new TextDecoder();
  const parser = createParser({
    onEvent: (event) => onMessage({ event: event.event ?? 'message', data: event.data }),
    onRetry,
  });
  // The parser holds back a CR that ends a chunk, in case a LF follows: at the end of the
  // stream nothing follows, so that CR ended a line.
  let endsWithCr = false;

  function feed(text: string): void {
    if (text === '') return;
    endsWithCr = text.endsWith('\r');
    parser.feed(text);
  }

  return {
    push(bytes: Uint8Array): void {
      feed(decoder.decode(bytes, { stream: true }));
    },
    end(): void {
      feed(decoder.decode());
      if (endsWithCr) parser.feed('\n');
      parser.reset();
    },
  };
}
