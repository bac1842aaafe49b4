import * as realNgrok from '@ngrok/ngrok';
import { describe, expect, it } from 'vitest';
import { loadNgrok, type NgrokModule } from './ngrok.ts';

// The real @ngrok/ngrok, loaded with its native binary for this platform (an optional dependency
// from npm): a broken install fails here. A session builder is built and configured exactly as the
// provider does, and never connected: no network.

// Fails to compile when the package no longer offers what server/tunnel/ngrok.ts calls.
const _typesStillFit: NgrokModule = realNgrok;

describe('the @ngrok/ngrok package', () => {
  it('loads its native module and builds a session builder without connecting', async () => {
    const ngrok = await loadNgrok();
    expect(ngrok.SessionBuilder).toBe(_typesStillFit.SessionBuilder);
    const builder = new ngrok.SessionBuilder()
      .authtoken('2abcDEFghiJKLmnoPQRstu_3vwxYZ0123456789')
      .clientInfo('porthole', '0.0.0-test')
      .handleDisconnection(() => true)
      .handleHeartbeat(() => {});
    expect(builder).toBeInstanceOf(realNgrok.SessionBuilder);
    expect(typeof builder.connect).toBe('function');
  });
});
