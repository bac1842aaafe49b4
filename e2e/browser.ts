// Chromium for the end-to-end tests: the system's /usr/bin/chromium (never a download),
// headless, without any traffic of its own. Tests skip, saying why, where it is absent.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.PORTHOLE_CHROMIUM ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  if (process.env.PORTHOLE_REQUIRE_CHROMIUM === '1')
    throw new Error(`PORTHOLE_REQUIRE_CHROMIUM=1 but there is no Chromium at ${CHROMIUM_PATH}`);
  return `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set PORTHOLE_CHROMIUM)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}
