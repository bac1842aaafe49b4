/** The message to show for anything a bridge call threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error) return error;
  return 'Something went wrong. Try again.';
}

/** Longer than this, a message is summed up and the whole text goes behind "Details". */
const SHORT_MESSAGE = 160;

/**
 * A short, human line for an error, and the full text when that says more. Keychain failures
 * arrive with the OS's own wording (a paragraph of D-Bus text on Linux): the line says what
 * happened and what to do, the details keep the original for whoever needs it.
 */
export function summarizeError(message: string): { summary: string; details: string | null } {
  const text = message.trim();
  if (/keychain|secret service|d-?bus|org\.freedesktop/i.test(text))
    return {
      summary:
        'Porthole could not reach the system keychain to store the secret. Unlock or start your keychain, then save again.',
      details: text,
    };
  if (text.length <= SHORT_MESSAGE) return { summary: text, details: null };
  // The first sentence, when it is short enough to stand alone.
  const sentence = /^(.{20,160}?[.!?])(\s|$)/.exec(text)?.[1];
  return { summary: sentence ?? `${text.slice(0, SHORT_MESSAGE - 1).trimEnd()}…`, details: text };
}
