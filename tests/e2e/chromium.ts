// Which Chromium the e2e tests drive: CHROMIUM_PATH, else Debian's /usr/bin/chromium. Never a
// downloaded browser. Without one, the run fails with a message that says what to install.
import { existsSync } from 'node:fs';

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `No Chromium at ${path}. Install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary. ` +
        'The e2e tests never download a browser.',
    );
  }
  return path;
}
