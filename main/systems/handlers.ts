// The authoritative-systems operations of the contract, answered by the systems and linking services.
import { actorOf, type Caller, type Handlers } from '../api/dispatcher.ts';
import type { Systems } from './service.ts';
import type { Actor, Linking } from './linking.ts';

type SystemsHandlers = Pick<
  Handlers,
  | 'connections.list'
  | 'connections.add'
  | 'connections.update'
  | 'connections.remove'
  | 'connections.exportJwks'
  | 'connections.newEventsApiKey'
  | 'connections.test'
  | 'links.list'
  | 'links.remove'
  | 'matching.lookUpAssignment'
  | 'matching.search'
  | 'matching.decide'
>;

/** The dispatcher has already checked that a signed-in user is calling. */
const actor = (caller: Caller): Actor => actorOf(caller);
const ok = { ok: true as const };

export function systemsHandlers(systems: Systems, linking: Linking): SystemsHandlers {
  return {
    'connections.list': async () => ({ connections: await systems.list() }),
    'connections.add': async (input) => systems.add(input),
    'connections.update': async (input) => {
      const { connectionId, version, ...fields } = input;
      await systems.update(connectionId, version, fields);
      return ok;
    },
    'connections.remove': async (input, caller) => {
      await systems.remove(input.connectionId, input.version, (trx, at) => linking.connectionRemoved(trx, input.connectionId, actor(caller), at));
      return ok;
    },
    'connections.exportJwks': async (input) => systems.exportJwks(input.connectionId),
    'connections.newEventsApiKey': async (input) => ({ eventsApiKey: await systems.newEventsApiKey(input.connectionId) }),
    'connections.test': async (input) => ({ steps: await systems.test(input.connectionId) }),

    'links.list': async (input) => ({ links: await linking.links(input.passportId) }),
    'links.remove': async (input, caller) => {
      await linking.removeLink(input.linkId, actor(caller));
      return ok;
    },

    'matching.lookUpAssignment': async (input, caller) => linking.lookUpAssignment(input.passportId, input.connectionId, input.assignmentNumber, actor(caller)),
    'matching.search': async (input, caller) => linking.search(input.passportId, input.connectionId, actor(caller)),
    'matching.decide': async (input, caller) => linking.decide(input.lookupId, input.employeeId, actor(caller)),
  };
}
