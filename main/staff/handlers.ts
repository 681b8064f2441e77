// The staff passport operations of the contract, answered by the staff service.
import { actorOf, type Caller, type Handlers } from '../api/dispatcher.ts';
import type { StaffService } from './service.ts';
import type { Actor } from './passports.ts';

type StaffHandlers = Pick<
  Handlers,
  | 'home.summary'
  | 'staff.checkInvitation'
  | 'staff.invite'
  | 'staff.previewImport'
  | 'staff.import'
  | 'staff.list'
  | 'staff.get'
  | 'staff.resendInvitation'
  | 'staff.delete'
  | 'staff.confirmIdentity'
  | 'staff.declineAccess'
  | 'staff.markAppointmentNeeded'
  | 'staff.updateProfile'
  | 'staff.disable'
  | 'staff.enable'
>;

/** The dispatcher has already checked that a signed-in user is calling. */
const actor = (caller: Caller): Actor => actorOf(caller);
const ok = { ok: true as const };

export function staffHandlers(staff: StaffService): StaffHandlers {
  return {
    'home.summary': async () => staff.counters(),
    'staff.checkInvitation': async (input) => ({ profile: await staff.checkInvitation(input.profile) }),
    'staff.invite': async (input, caller) => ({ passportId: await staff.invite(input.profile, actor(caller)) }),
    'staff.previewImport': async (input) => staff.previewImport(input.fileName, input.content, input.batch),
    'staff.import': async (input, caller) => staff.import(input.fileName, input.content, input.batch, actor(caller)),
    'staff.list': async (input) => staff.list(input),
    'staff.get': async (input) => staff.get(input.passportId),
    'staff.resendInvitation': async (input, caller) => {
      await staff.resendInvitation(input.passportId, actor(caller));
      return ok;
    },
    'staff.delete': async (input) => {
      await staff.delete(input.passportId, input.version);
      return ok;
    },
    'staff.confirmIdentity': async (input, caller) => {
      await staff.confirmIdentity(input.passportId, input.version, input.identity, actor(caller));
      return ok;
    },
    'staff.declineAccess': async (input, caller) => {
      await staff.declineAccess(input.passportId, input.version, input.reason, input.detail, actor(caller));
      return ok;
    },
    'staff.markAppointmentNeeded': async (input, caller) => {
      await staff.markAppointmentNeeded(input.passportId, input.version, actor(caller));
      return ok;
    },
    'staff.updateProfile': async (input, caller) => staff.updateProfile(input.passportId, input.version, input.profile, actor(caller)),
    'staff.disable': async (input, caller) => {
      await staff.disable(input.passportId, input.version, actor(caller));
      return ok;
    },
    'staff.enable': async (input, caller) => {
      await staff.enable(input.passportId, input.version, actor(caller));
      return ok;
    },
  };
}
