import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from './sse.ts';

const encode = (text: string) => new TextEncoder().encode(text);

function parse(chunks: Uint8Array[]): { messages: SseMessage[]; retries: number[] } {
  const messages: SseMessage[] = [];
  const retries: number[] = [];
  const parser = createSseParser(
    (m) => messages.push(m),
    (ms) => retries.push(ms),
  );
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { messages, retries };
}

const parseText = (text: string) => parse([encode(text)]);

// A byte-order mark, comments, named events, CRLF, CR and LF line ends, a field without a
// colon, a retry, and characters of two, three and four bytes (split by the byte-wise tests).
const STREAM = encode(
  '\uFEFF: hello\n\n' +
    'data: {"type":"state","state":{"paused":false}}\n\n' +
    'event: ping\ndata: x\n\n' +
    'data: first\r\ndata: second\r\n\r\n' +
    'id: 7\rdata:no-space\r\r' +
    'retry: 3000\n' +
    'data\n\n' +
    'data: {"type":"activity","entry":{"summary":"naïve café ☕ 🔭"}}\n\n',
);

const EXPECTED: SseMessage[] = [
  { event: 'message', data: '{"type":"state","state":{"paused":false}}' },
  { event: 'ping', data: 'x' },
  { event: 'message', data: 'first\nsecond' },
  { event: 'message', data: 'no-space' },
  { event: 'message', data: '' },
  { event: 'message', data: '{"type":"activity","entry":{"summary":"naïve café ☕ 🔭"}}' },
];

describe('SSE parser', () => {
  it('parses a whole stream in one chunk', () => {
    const { messages, retries } = parse([STREAM]);
    expect(messages).toEqual(EXPECTED);
    expect(retries).toEqual([3000]);
  });

  it('gives the same messages wherever the chunks split (every split point, CRLF and characters included)', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      for (const j of [i, Math.min(STREAM.length, i + 1), Math.min(STREAM.length, i + 7)]) {
        const { messages } = parse([STREAM.subarray(0, i), STREAM.subarray(i, j), STREAM.subarray(j)]);
        expect(messages, `split at ${i}, ${j}`).toEqual(EXPECTED);
      }
    }
  });

  it('gives the same messages one byte at a time', () => {
    expect(parse([...STREAM].map((byte) => Uint8Array.of(byte))).messages).toEqual(EXPECTED);
  });

  it('drops a message whose blank line never came', () => {
    expect(parseText('data: complete\n\ndata: cut off\n').messages.map((m) => m.data)).toEqual(['complete']);
    expect(parseText('data: complete\r\rdata: cut off\r').messages.map((m) => m.data)).toEqual(['complete']);
  });

  it('ends a message whose blank line is a CR at the very end of the stream', () => {
    expect(parseText('data: last\r\r').messages.map((m) => m.data)).toEqual(['last']);
  });

  it('does not dispatch an event with no data', () => {
    expect(parseText('event: lonely\n\n: comment only\n\n').messages).toEqual([]);
  });
});
