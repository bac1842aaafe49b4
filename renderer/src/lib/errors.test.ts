import { describe, expect, it } from 'vitest';
import { summarizeError } from './errors.ts';

const DBUS =
  'The keychain refused to store the secret "github-client-secret": Platform secure storage failure: ' +
  'DBus error: org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided ' +
  'by any .service files. Install and unlock gnome-keyring (Secret Service) or KWallet, and make sure a D-Bus ' +
  'session is running (DBUS_SESSION_BUS_ADDRESS is set; on a headless machine start Porthole under dbus-run-session).';

describe('summarizeError', () => {
  it('keeps a short message as it is, with no details', () => {
    expect(summarizeError('GitHub does not accept this client ID and secret.')).toEqual({
      summary: 'GitHub does not accept this client ID and secret.',
      details: null,
    });
  });

  it('turns a keychain paragraph into one human line, the paragraph behind the details', () => {
    const { summary, details } = summarizeError(DBUS);
    expect(summary).toMatch(/^Porthole could not reach the system keychain/);
    expect(summary).not.toMatch(/DBus|freedesktop/);
    expect(summary.length).toBeLessThan(140);
    expect(details).toBe(DBUS);
  });

  it('sums up any other long message by its first sentence', () => {
    const long = `The folder could not be read. ${'x'.repeat(300)}`;
    expect(summarizeError(long)).toEqual({ summary: 'The folder could not be read.', details: long });
  });
});
