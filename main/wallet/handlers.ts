// The wallet operations of the contract.
import { actorOf as actor, type Handlers } from '../api/dispatcher.ts';
import type { Wallet } from './service.ts';

type WalletHandlers = Pick<Handlers, Extract<keyof Handlers, `wallet.${string}`>>;

export function walletHandlers(wallet: Wallet): WalletHandlers {
  return {
    'wallet.offerIdentity': async (input, caller) => wallet.offerIdentity(input.passportId, actor(caller)),
    'wallet.providableRecords': async (input) => wallet.providableRecords(input.passportId, input.refresh),
    'wallet.offerRecords': async (input, caller) => wallet.offerRecords(input.passportId, input.recordIds, actor(caller)),
    'wallet.offer': async (input) => wallet.offerView(input.offerId),
    'wallet.offers': async (input) => ({ offers: await wallet.offersOf(input.passportId) }),
    'wallet.cancelOffer': async (input, caller) => wallet.cancelOffer(input.offerId, actor(caller)),
    'wallet.renewOffer': async (input, caller) => wallet.renewOffer(input.offerId, actor(caller)),
    'wallet.requestCredentials': async (input, caller) => wallet.requestCredentials(input.passportId, input.typeIds, actor(caller)),
    'wallet.presentationRequest': async (input) => wallet.requestView(input.requestId),
    'wallet.presentationRequests': async (input) => ({ requests: await wallet.requestsOf(input.passportId) }),
    'wallet.cancelRequest': async (input, caller) => wallet.cancelRequest(input.requestId, actor(caller)),
    'wallet.sharedCredentials': async (input) => ({ credentials: await wallet.sharedCredentials(input.passportId) }),
    'wallet.decideShared': async (input, caller) => ({ credentials: await wallet.decideShared(input.passportId, input.decisions, actor(caller)) }),
    'wallet.recordNewWallet': async (input, caller) => {
      await wallet.recordNewWallet(input.passportId, input.reason, actor(caller));
      return { ok: true as const };
    },
  };
}
