import mammoth from 'mammoth';
import { withTimeout } from './timeout.ts';

export const DOCX_TIMEOUT_MS = 30_000;

export async function extractDocx(data: Buffer, opts: { timeoutMs?: number } = {}): Promise<string> {
  const ms = opts.timeoutMs ?? DOCX_TIMEOUT_MS;
  try {
    // mammoth cannot be cancelled; on timeout its result is simply dropped.
    const result = await withTimeout(
      mammoth.extractRawText({ buffer: data }),
      ms,
      `DOCX took longer than ${Math.round(ms / 1000)} s to read; it was skipped.`,
    );
    return result.value.replace(/\n{3,}/g, '\n\n').trim();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.startsWith('DOCX took longer')) throw new Error(message);
    throw new Error(`DOCX could not be read: ${humanReason(message)}`);
  }
}

// jszip's messages point at its own docs and talk about central directories.
function humanReason(message: string): string {
  if (/central directory|corrupted zip|end of data|zip file/i.test(message)) {
    return 'not a valid Word document (the file is not a readable zip archive).';
  }
  const first = message.trim().split('\n')[0] ?? '';
  return first.slice(0, 200) || 'unknown error';
}
