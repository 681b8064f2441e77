// The OpenWallet Foundation libraries refuse http URLs unless a process-wide flag allows them.
// Whatever works over http on this machine (the wallet following a localhost link, the sample
// servers answering on 127.0.0.1) turns it on only while it runs, counted, so overlapping work
// does not turn it off under each other, and then puts back what it found. The wallet's own fetch
// rule still refuses http to any host but localhost and 127.0.0.1.
import { getGlobalConfig, setGlobalConfig } from '@openid4vc/utils';

let running = 0;
let before = false;

export async function withLocalHttp<T>(local: boolean, operation: () => Promise<T>): Promise<T> {
  if (!local) return operation();
  if (running++ === 0) {
    before = getGlobalConfig().allowInsecureUrls;
    setGlobalConfig({ ...getGlobalConfig(), allowInsecureUrls: true });
  }
  try {
    return await operation();
  } finally {
    if (--running === 0) setGlobalConfig({ ...getGlobalConfig(), allowInsecureUrls: before });
  }
}
