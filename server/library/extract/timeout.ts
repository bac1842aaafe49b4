/**
 * Rejects with `message` if `work` has not settled within `ms`, after calling `onTimeout`
 * so the parser can be told to stop. The timer never keeps the process alive.
 */
export async function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  message: string,
  onTimeout?: () => unknown,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      try {
        onTimeout?.();
      } finally {
        reject(new Error(message));
      }
    }, ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
