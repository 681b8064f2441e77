// Matching a passport to the same person's record in an authoritative system, and the links that
// result. A look-up (ESR by assignment number, or the ranked searches of another system) is held
// for HR's decision under a one-time id bound to the HR user; nothing is linked until HR decides,
// and the decision is kept with who made it and when.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from '../errors.ts';
import { rankCandidates } from '../matching/rank.ts';
import type { MatchSubject, RankedCandidate } from '../matching/types.ts';
import { searchPlan } from '../matching/searches.ts';
import type { CandidateView, ConnectionOperation, LinkView } from './contract.ts';
import type { EmployeePersonalDetails } from './dsp-types.ts';
import type { Connection } from './connections.ts';
import { LinksRepository, type EndedLink } from './links.ts';
import { EventInbox } from './events.ts';
import { SystemError, type DspClient } from './client/index.ts';

/** How long HR has to decide on a look-up before searching again. */
const LOOKUP_TTL_MS = 30 * 60_000;
const MAX_PENDING = 500;
/** How many ranked candidates HR is shown. */
const SHOWN = 10;
/** Searches run at once against one system. */
const PARALLEL_SEARCHES = 4;

export interface Actor {
  id: string;
  name: string;
}

interface PendingLookUp {
  userId: string;
  passportId: string;
  connectionId: string;
  method: 'assignment-number' | 'search';
  candidates: Map<string, { details: EmployeePersonalDetails; score: number; band: string }>;
  expiresAt: number;
}

export interface LinkingDeps {
  knex: () => Knex;
  now: () => Date;
  connection: (id: string) => Promise<Connection>;
  client: (connection: Connection) => Promise<DspClient>;
  /** What the passport says about the person, for comparing with a system's records. */
  subject: (passportId: string) => Promise<MatchSubject>;
  /** Inside the linking transaction: the passport now carries the ESR assignment number HR confirmed. */
  assignmentConfirmed: (trx: Knex, passportId: string, assignmentNumber: string, actor: Actor, at: string) => Promise<void>;
  /** Inside the caller's transaction: an entry in the passport's history. */
  history: (trx: Knex, passportId: string, event: { kind: string; summary: string }, actor: Actor, at: string) => Promise<void>;
  /** After a link commits: events that were waiting for it can be fetched. */
  linked?: () => void;
}

function requireOperation(connection: Connection, operation: ConnectionOperation, doing: string): void {
  if (!connection.operations.includes(operation)) {
    throw new AppError('conflict', `The connection to ${connection.name} is not set up for ${doing}. Ask a Senior Portal Administrator to change the connection.`);
  }
}

function candidateView(ranked: RankedCandidate): CandidateView {
  return {
    employeeId: ranked.candidate.id,
    firstName: ranked.candidate.firstName,
    surname: ranked.candidate.surname,
    birthDate: ranked.candidate.birthDate ?? null,
    email: ranked.candidate.email ?? null,
    furtherInformation: ranked.candidate.furtherInformation ?? null,
    score: Math.round(ranked.score * 10) / 10,
    band: ranked.band,
    comparisons: ranked.comparisons.map((comparison) => ({
      field: comparison.field,
      label: comparison.label,
      passportValue: comparison.subjectValue,
      systemValue: comparison.candidateValue,
      level: comparison.level,
      reason: comparison.reason,
    })),
  };
}

export class Linking {
  private readonly deps: LinkingDeps;
  private readonly pending = new Map<string, PendingLookUp>();

  constructor(deps: LinkingDeps) {
    this.deps = deps;
  }

  private hold(lookUp: Omit<PendingLookUp, 'expiresAt'>): string {
    const now = this.deps.now().getTime();
    for (const [id, entry] of this.pending) if (entry.expiresAt <= now) this.pending.delete(id);
    // Oldest first: a Map keeps insertion order.
    while (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    const id = randomUUID();
    this.pending.set(id, { ...lookUp, expiresAt: now + LOOKUP_TTL_MS });
    return id;
  }

  /** ESR by assignment number: the person's details beside the passport's, for HR to confirm. */
  async lookUpAssignment(passportId: string, connectionId: string, assignmentNumber: string, actor: Actor): Promise<{ lookupId: string; candidate: CandidateView }> {
    const connection = await this.deps.connection(connectionId);
    if (connection.kind !== 'esr') throw new AppError('conflict', `${connection.name} is not ESR. Search it by name and date of birth instead.`);
    requireOperation(connection, 'get-employee-personal-details', 'getting personal details');
    const subject = await this.deps.subject(passportId);
    const client = await this.deps.client(connection);
    let details: EmployeePersonalDetails;
    try {
      details = await client.personalDetails(assignmentNumber);
    } catch (error) {
      if (error instanceof SystemError && error.reason === 'not-found') {
        throw new AppError('not-found', `${connection.name} has no record with assignment number ${assignmentNumber}. Check the number and try again.`, {
          fields: [{ field: 'assignmentNumber', message: `${connection.name} has no record with assignment number ${assignmentNumber}` }],
        });
      }
      throw error;
    }
    if (details.id !== assignmentNumber) {
      throw new AppError('unavailable', `${connection.name} answered with a different record (${details.id.slice(0, 20)}), so nothing is shown. Try again, and tell your IT team if it keeps happening.`);
    }
    const [ranked] = rankCandidates(subject, [details]);
    const lookupId = this.hold({ userId: actor.id, passportId, connectionId, method: 'assignment-number', candidates: new Map([[details.id, { details, score: ranked!.score, band: ranked!.band }]]) });
    return { lookupId, candidate: candidateView(ranked!) };
  }

  /** Another system: several searches, merged and ranked. */
  async search(passportId: string, connectionId: string, actor: Actor): Promise<{ lookupId: string; searches: number; candidates: CandidateView[] }> {
    const connection = await this.deps.connection(connectionId);
    requireOperation(connection, 'search-for-employee', 'searching');
    const subject = await this.deps.subject(passportId);
    const client = await this.deps.client(connection);
    const plan = searchPlan(subject);
    const found: EmployeePersonalDetails[] = [];
    for (let i = 0; i < plan.length; i += PARALLEL_SEARCHES) {
      const answers = await Promise.all(plan.slice(i, i + PARALLEL_SEARCHES).map((parameters) => client.search(parameters)));
      for (const answer of answers) found.push(...answer);
    }
    const ranked = rankCandidates(subject, found).slice(0, SHOWN);
    const lookupId = this.hold({
      userId: actor.id,
      passportId,
      connectionId,
      method: 'search',
      candidates: new Map(ranked.map((entry) => [entry.candidate.id, { details: entry.candidate, score: entry.score, band: entry.band }])),
    });
    return { lookupId, searches: plan.length, candidates: ranked.map(candidateView) };
  }

  /** HR's decision: link one of the candidates shown, or none of them. A look-up is used once. */
  async decide(lookupId: string, employeeId: string | null, actor: Actor): Promise<{ linkId: string | null; decisionId: string; passportId: string; connectionId: string }> {
    const lookUp = this.pending.get(lookupId);
    if (!lookUp || lookUp.expiresAt <= this.deps.now().getTime() || lookUp.userId !== actor.id) {
      throw new AppError('not-found', 'That search has expired or was already used. Search again.');
    }
    const chosen = employeeId === null ? null : lookUp.candidates.get(employeeId);
    if (employeeId !== null && !chosen) throw new AppError('invalid-input', 'Choose one of the records shown, or "None of these".');
    this.pending.delete(lookupId);
    const at = this.deps.now().toISOString();
    const candidates = [...lookUp.candidates].map(([id, entry]) => ({ employeeId: id, score: entry.score, band: entry.band }));
    const connection = await this.deps.connection(lookUp.connectionId);
    const { linkId, decisionId } = await this.deps.knex().transaction(async (trx) => {
      if (!(await trx('passports').where({ id: lookUp.passportId }).first('id'))) {
        throw new AppError('not-found', 'That staff member\'s record has been deleted, so nothing was linked.');
      }
      const links = new LinksRepository(trx);
      let linkId: string | null = null;
      if (chosen) {
        let replaced: string | null;
        ({ linkId, replaced } = await links.link({ passportId: lookUp.passportId, connectionId: lookUp.connectionId, employeeId: employeeId!, method: lookUp.method, details: chosen.details, userId: actor.id, at }));
        if (lookUp.method === 'assignment-number') await this.deps.assignmentConfirmed(trx, lookUp.passportId, employeeId!, actor, at);
        await EventInbox.linked(trx, lookUp.connectionId, employeeId!, lookUp.passportId, at);
        const name = `${chosen.details.firstName} ${chosen.details.surname}`;
        await this.deps.history(trx, lookUp.passportId, {
          kind: 'linked',
          summary: `Linked to ${connection.name} record ${employeeId} (${name})${replaced ? ', in place of the record it was linked to before' : ''}`,
        }, actor, at);
      } else {
        await this.deps.history(trx, lookUp.passportId, { kind: 'none-of-these', summary: `Searched ${connection.name}: none of the ${candidates.length} records found was this staff member, so nothing was linked` }, actor, at);
      }
      const decisionId = await links.recordDecision({ passportId: lookUp.passportId, connectionId: lookUp.connectionId, decision: chosen ? 'linked' : 'none-of-these', employeeId, candidates, userId: actor.id, at });
      return { linkId, decisionId };
    });
    if (linkId) this.deps.linked?.();
    return { linkId, decisionId, passportId: lookUp.passportId, connectionId: lookUp.connectionId };
  }

  async links(passportId: string): Promise<LinkView[]> {
    const rows = await new LinksRepository(this.deps.knex()).activeForPassport(passportId);
    return rows.map((row) => {
      const details = JSON.parse(row.details) as EmployeePersonalDetails;
      return {
        id: row.id,
        connectionId: row.connection_id,
        connectionName: row.connection_name,
        connectionKind: row.connection_kind as LinkView['connectionKind'],
        employeeId: row.employee_id,
        method: row.method,
        systemName: `${details.firstName} ${details.surname}`,
        linkedAt: row.linked_at,
        linkedByName: row.linked_by_name,
      };
    });
  }

  async removeLink(linkId: string, actor: Actor): Promise<{ passportId: string }> {
    const at = this.deps.now().toISOString();
    return this.deps.knex().transaction(async (trx) => {
      const [link] = await new LinksRepository(trx).end({ id: linkId }, actor.id, 'removed by HR', at);
      if (!link) throw new AppError('not-found', 'That link does not exist. It may have been removed already.');
      await this.noteEnded(trx, [link], 'removed', actor, at);
      return { passportId: link.passport_id };
    });
  }

  /** A removed connection ends every link made through it, each noted in its passport's history. */
  async connectionRemoved(trx: Knex, connectionId: string, actor: Actor, at: string): Promise<void> {
    const ended = await new LinksRepository(trx).end({ connectionId }, actor.id, 'connection removed', at);
    await this.noteEnded(trx, ended, (link) => `ended, because the connection to ${link.connection_name} was removed`, actor, at);
  }

  /** A changed ESR assignment number ends the ESR link made with the old one. */
  async assignmentNumberChanged(trx: Knex, passportId: string, assignmentNumber: string | null, actor: Actor, at: string): Promise<void> {
    const ended = await new LinksRepository(trx).end({ passportId, kind: 'esr', exceptEmployeeId: assignmentNumber }, actor.id, 'assignment number changed', at);
    await this.noteEnded(trx, ended, 'ended, because the assignment number changed', actor, at);
  }

  /** One entry in each passport's history per ended link: "Link to ESR record 12345678 removed". */
  private async noteEnded(trx: Knex, links: EndedLink[], how: string | ((link: EndedLink) => string), actor: Actor, at: string): Promise<void> {
    for (const link of links) {
      const said = typeof how === 'string' ? how : how(link);
      await this.deps.history(trx, link.passport_id, { kind: 'link-removed', summary: `Link to ${link.connection_name} record ${link.employee_id} ${said}` }, actor, at);
    }
  }
}
