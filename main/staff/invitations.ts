// The words a staff member receives when invited: an email and a text message.
import type { NewMessage } from './outbox.ts';

export interface Invitee {
  passportId: string;
  firstName: string;
  email: string;
  mobile: string;
}

export function invitationMessages(invitee: Invitee, trustName: string): NewMessage[] {
  const email = [
    `Dear ${invitee.firstName},`,
    '',
    `${trustName} has invited you to use the NHS Digital Staff Passport.`,
    '',
    'Your staff passport keeps checked information about you, such as your identity, employment checks and training, in a wallet app on your phone. You decide when to share it, for example when you move to another NHS organisation, so you do not have to repeat the same checks.',
    '',
    'What to do next:',
    '1. Install an NHS staff passport wallet app on your phone.',
    `2. Bring your passport or photocard driving licence to the HR team at ${trustName}. They will check your identity and show you a QR code to scan with the wallet app.`,
    '',
    `If you were not expecting this email, contact the HR team at ${trustName}. Do not reply to this email.`,
  ].join('\n');
  const sms = `${trustName}: you are invited to use the NHS Digital Staff Passport. Install a staff passport wallet app, then bring photo ID to the HR team to check your identity. Not expecting this? Contact ${trustName} HR.`;
  return [
    { passportId: invitee.passportId, kind: 'invitation', channel: 'email', recipient: invitee.email, subject: `Your NHS Digital Staff Passport invitation from ${trustName}`, body: email },
    { passportId: invitee.passportId, kind: 'invitation', channel: 'sms', recipient: invitee.mobile, subject: null, body: sms },
  ];
}
