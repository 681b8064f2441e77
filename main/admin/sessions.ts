// Signing in and out, locking after inactivity, and slowing down repeated wrong passwords.
// A password is checked by unwrapping that user's key slot: there is no separate password hash.
import { AppError } from '../errors.ts';
import { emailLookup } from '../platform/keyslots.ts';
import type { Vault } from '../platform/vault.ts';
import type { SessionUser, Settings } from '../api/contract.ts';
import { UsersRepository } from './users.ts';

interface Session {
  user: SessionUser;
  lastActivity: number;
  locked: boolean;
}

interface Attempts {
  failures: number;
  blockedUntil: number;
}

export class Sessions {
  private readonly vault: Vault;
  private readonly now: () => Date;
  private readonly settings: () => Settings;
  private current: Session | null = null;
  private readonly attempts = new Map<string, Attempts>();

  constructor(vault: Vault, now: () => Date, settings: () => Settings) {
    this.vault = vault;
    this.now = now;
    this.settings = settings;
  }

  /** The session as things stand, applying the inactivity lock first. */
  session(): Session | null {
    this.applyInactivityLock();
    return this.current;
  }

  /** Locks the session when the time without activity has run out. Returns true if it just locked. */
  applyInactivityLock(): boolean {
    const session = this.current;
    if (!session || session.locked) return false;
    const limit = this.settings().autoLockMinutes * 60_000;
    if (this.now().getTime() - session.lastActivity >= limit) {
      session.locked = true;
      return true;
    }
    return false;
  }

  touch(): void {
    if (this.current && !this.current.locked) this.current.lastActivity = this.now().getTime();
  }

  async signIn(email: string, password: string): Promise<SessionUser> {
    const lookup = emailLookup(email);
    this.refuseWhileBlocked(lookup);
    const unlocked = await this.vault.slots().unlockWithPassword(email, password);
    if (!unlocked) this.failed(lookup);
    const opened = await this.vault.unlock(unlocked.key);
    const users = new UsersRepository(opened.store.knex);
    const user = await users.find(unlocked.userId);
    if (!user || !user.active) this.failed(lookup);
    this.attempts.delete(lookup);
    await users.update(user.id, { lastSignInAt: this.now().toISOString() }, this.now().toISOString());
    const sessionUser: SessionUser = { id: user.id, name: user.name, email: user.email, role: user.role, mustChangePassword: user.mustChangePassword };
    this.current = { user: sessionUser, lastActivity: this.now().getTime(), locked: false };
    return sessionUser;
  }

  async unlock(password: string): Promise<void> {
    const session = this.current;
    if (!session) throw new AppError('not-signed-in', 'Sign in to continue.');
    const lookup = emailLookup(session.user.email);
    this.refuseWhileBlocked(lookup);
    const unlocked = await this.vault.slots().unlockWithPassword(session.user.email, password);
    if (!unlocked || unlocked.userId !== session.user.id) this.failed(lookup);
    this.attempts.delete(lookup);
    session.locked = false;
    session.lastActivity = this.now().getTime();
  }

  lock(): void {
    if (this.current) this.current.locked = true;
  }

  signOut(): void {
    this.current = null;
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    const session = this.current;
    if (!session) throw new AppError('not-signed-in', 'Sign in to continue.');
    const lookup = emailLookup(session.user.email);
    this.refuseWhileBlocked(lookup);
    const slots = this.vault.slots();
    const unlocked = await slots.unlockWithPassword(session.user.email, currentPassword);
    if (!unlocked || unlocked.userId !== session.user.id) {
      this.failed(lookup, { field: 'currentPassword', message: 'Your current password is not correct' });
    }
    this.attempts.delete(lookup);
    const opened = this.vault.open;
    await slots.setUserSlot(session.user.id, session.user.email, newPassword, opened.key, this.vault.scrypt);
    const now = this.now().toISOString();
    await new UsersRepository(opened.store.knex).update(session.user.id, { mustChangePassword: false }, now);
    session.user = { ...session.user, mustChangePassword: false };
  }

  /** Reflects changes an administrator made to the signed-in user (their own role, say). */
  refreshUser(user: SessionUser): void {
    if (this.current && this.current.user.id === user.id) this.current.user = user;
  }

  private refuseWhileBlocked(lookup: string): void {
    const attempts = this.attempts.get(lookup);
    const wait = attempts ? attempts.blockedUntil - this.now().getTime() : 0;
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new AppError('too-many-attempts', `Too many wrong passwords. Wait ${seconds} seconds, then try again.`, { retryAfterSeconds: seconds });
    }
  }

  private failed(lookup: string, field?: { field: string; message: string }): never {
    const { signInAttemptsBeforeDelay, signInDelaySeconds } = this.settings();
    const attempts = this.attempts.get(lookup) ?? { failures: 0, blockedUntil: 0 };
    attempts.failures += 1;
    const over = attempts.failures - signInAttemptsBeforeDelay;
    if (over >= 0) {
      // The wait doubles with each further wrong password, up to an hour.
      const seconds = Math.min(signInDelaySeconds * 2 ** over, 3600);
      attempts.blockedUntil = this.now().getTime() + seconds * 1000;
    }
    this.attempts.set(lookup, attempts);
    throw new AppError('wrong-credentials', field ? 'Your current password is not correct.' : 'The email address or password is not correct.', {
      fields: field ? [field] : [],
    });
  }
}
