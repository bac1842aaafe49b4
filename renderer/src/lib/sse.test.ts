import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from './sse.ts';

function parse(chunks: string[]): { messages: SseMessage[]; retries: number[] } {
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

const STREAM =
  '\uFEFF: hello\n\n' +
  'data: {"type":"state","state":{"paused":false}}\n\n' +
  'event: ping\ndata: x\n\n' +
  'data: first\r\ndata: second\r\n\r\n' +
  'id: 7\rdata:no-space\r\r' +
  'retry: 3000\n' +
  'data\n\n' +
  'data: {"type":"activity","entry":{"summary":"naïve café ☕"}}\n\n';

const EXPECTED: SseMessage[] = [
  { event: 'message', data: '{"type":"state","state":{"paused":false}}', id: null },
  { event: 'ping', data: 'x', id: null },
  { event: 'message', data: 'first\nsecond', id: null },
  { event: 'message', data: 'no-space', id: '7' },
  { event: 'message', data: '', id: '7' },
  { event: 'message', data: '{"type":"activity","entry":{"summary":"naïve café ☕"}}', id: '7' },
];

describe('SSE parser', () => {
  it('parses a whole stream in one chunk', () => {
    const { messages, retries } = parse([STREAM]);
    expect(messages).toEqual(EXPECTED);
    expect(retries).toEqual([3000]);
  });

  it('gives the same messages wherever the chunks split (every split point, CRLF included)', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      for (const j of [i, Math.min(STREAM.length, i + 1), Math.min(STREAM.length, i + 7)]) {
        const { messages } = parse([STREAM.slice(0, i), STREAM.slice(i, j), STREAM.slice(j)]);
        expect(messages, `split at ${i}, ${j}`).toEqual(EXPECTED);
      }
    }
  });

  it('gives the same messages one character at a time', () => {
    expect(parse([...STREAM]).messages).toEqual(EXPECTED);
  });

  it('drops a message whose blank line never came', () => {
    expect(parse(['data: complete\n\ndata: cut off\n']).messages.map((m) => m.data)).toEqual(['complete']);
  });

  it('does not dispatch an event with no data', () => {
    expect(parse(['event: lonely\n\n: comment only\n\n']).messages).toEqual([]);
  });

  it('works with bytes decoded by a streaming TextDecoder split inside a character', () => {
    const bytes = new TextEncoder().encode('data: ☕ and é\n\n');
    const decoder = new TextDecoder();
    const messages: SseMessage[] = [];
    const parser = createSseParser((m) => messages.push(m));
    for (let i = 0; i < bytes.length; i++)
      parser.push(decoder.decode(bytes.subarray(i, i + 1), { stream: true }));
    expect(messages.map((m) => m.data)).toEqual(['☕ and é']);
  });
});
