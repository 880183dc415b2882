import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

/**
 * Where the Debian Chromium is: `CHROMIUM_PATH` when set, else `/usr/bin/chromium`. Never a
 * downloaded browser. `.ci/run` installs the `chromium` package when it is missing.
 *
 * @example
 * chromiumPath(); // '/usr/bin/chromium'
 */
export function chromiumPath(): string {
  const file = process.env.CHROMIUM_PATH?.trim() || '/usr/bin/chromium';
  if (!fs.existsSync(file))
    throw new Error(
      `no Chromium at ${file}: install Debian's chromium package (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  return file;
}

/**
 * A headless Chromium with a fresh profile, and its closing (which also removes the profile).
 *
 * @example
 * const { browser, close } = await launchChromium();
 * try { … } finally { await close(); }
 */
export async function launchChromium(): Promise<{ readonly browser: Browser; readonly close: () => Promise<void> }> {
  const executablePath = chromiumPath();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'annet-chromium-'));
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
  ];
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      timeout: 30_000,
      protocolTimeout: 60_000,
      args: flags,
    });
  } catch (error) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  return {
    browser,
    close: async () => {
      try {
        await Promise.race([browser.close(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      } finally {
        browser.process()?.kill('SIGKILL');
        fs.rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}
