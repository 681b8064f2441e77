// Links from passports to the same person's record in each authoritative system, and the
// decisions HR made while matching (a link, or "none of these"), with who decided and when.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from '../errors.ts';
import type { EmployeePersonalDetails } from './dsp-types.ts';

export interface LinkRow {
  id: string;
  passport_id: string;
  connection_id: string;
  employee_id: string;
  method: 'assignment-number' | 'search';
  details: string;
  linked_by: string;
  linked_at: string;
  removed_by: string | null;
  removed_at: string | null;
  removed_reason: string | null;
}

export interface NewLink {
  passportId: string;
  connectionId: string;
  employeeId: string;
  method: LinkRow['method'];
  details: EmployeePersonalDetails;
  userId: string;
  at: string;
}

export interface EndedLink {
  id: string;
  passport_id: string;
  employee_id: string;
  connection_name: string;
}

export interface DecisionCandidate {
  employeeId: string;
  score: number;
  band: string;
}

export class LinksRepository {
  private readonly knex: Knex;

  constructor(knex: Knex) {
    this.knex = knex;
  }

  async activeForPassport(passportId: string): Promise<Array<LinkRow & { linked_by_name: string | null; connection_name: string; connection_kind: string }>> {
    return (await this.knex('links')
      .join('connections', 'connections.id', 'links.connection_id')
      .leftJoin('hr_users', 'hr_users.id', 'links.linked_by')
      .where('links.passport_id', passportId)
      .whereNull('links.removed_at')
      .orderBy([{ column: 'connections.name' }, { column: 'links.id' }])
      .select('links.*', 'hr_users.name as linked_by_name', 'connections.name as connection_name', 'connections.kind as connection_kind')) as Array<
      LinkRow & { linked_by_name: string | null; connection_name: string; connection_kind: string }
    >;
  }

  async active(passportId: string, connectionId: string): Promise<LinkRow | undefined> {
    return (await this.knex('links').where({ passport_id: passportId, connection_id: connectionId }).whereNull('removed_at').first()) as LinkRow | undefined;
  }

  /** The passports linked to this employee id in this system (normally one). */
  async passportsFor(connectionId: string, employeeId: string): Promise<string[]> {
    const rows = (await this.knex('links').where({ connection_id: connectionId, employee_id: employeeId }).whereNull('removed_at').select('passport_id')) as Array<{ passport_id: string }>;
    return rows.map((row) => row.passport_id);
  }

  /**
   * Links a passport, replacing its active link to this system (if it points elsewhere) in the
   * same transaction: a passport has at most one active link per connection. Returns the link's
   * id and the id of the link it replaced, if any.
   */
  async link(link: NewLink): Promise<{ linkId: string; replaced: string | null }> {
    return this.knex.transaction(async (trx) => {
      const existing = (await trx('links').where({ passport_id: link.passportId, connection_id: link.connectionId }).whereNull('removed_at').first()) as LinkRow | undefined;
      if (existing?.employee_id === link.employeeId) return { linkId: existing.id, replaced: null };
      const elsewhere = (await trx('links')
        .join('passports', 'passports.id', 'links.passport_id')
        .join('connections', 'connections.id', 'links.connection_id')
        .where({ 'links.connection_id': link.connectionId, 'links.employee_id': link.employeeId })
        .whereNull('links.removed_at')
        .first('passports.first_name', 'passports.last_name', 'connections.name as connection_name')) as { first_name: string; last_name: string; connection_name: string } | undefined;
      if (elsewhere) {
        throw new AppError('conflict', `That ${elsewhere.connection_name} record is already linked to ${elsewhere.first_name} ${elsewhere.last_name}'s passport. If it is the same person, remove that link first; nothing was linked.`);
      }
      if (existing) {
        await trx('links').where({ id: existing.id }).update({ removed_at: link.at, removed_by: link.userId, removed_reason: 'replaced' });
      }
      const id = randomUUID();
      await trx('links').insert({
        id,
        passport_id: link.passportId,
        connection_id: link.connectionId,
        employee_id: link.employeeId,
        method: link.method,
        details: JSON.stringify(link.details),
        linked_by: link.userId,
        linked_at: link.at,
      });
      return { linkId: id, replaced: existing?.id ?? null };
    });
  }

  /**
   * Ends the active links that match (one by id, all through a connection, or a passport's links
   * to systems of a kind, perhaps but one record), returning them with their connection's name.
   */
  async end(
    which: { id?: string; connectionId?: string; passportId?: string; kind?: string; exceptEmployeeId?: string | null },
    userId: string,
    reason: string,
    at: string,
  ): Promise<EndedLink[]> {
    const ended = (await this.knex('links')
      .join('connections', 'connections.id', 'links.connection_id')
      .whereNull('links.removed_at')
      .modify((query) => {
        if (which.id !== undefined) void query.where('links.id', which.id);
        if (which.connectionId !== undefined) void query.where('links.connection_id', which.connectionId);
        if (which.passportId !== undefined) void query.where('links.passport_id', which.passportId);
        if (which.kind !== undefined) void query.where('connections.kind', which.kind);
        if (which.exceptEmployeeId) void query.whereNot('links.employee_id', which.exceptEmployeeId);
      })
      .select('links.id', 'links.passport_id', 'links.employee_id', 'connections.name as connection_name')) as EndedLink[];
    if (ended.length > 0) {
      await this.knex('links').whereIn('id', ended.map((link) => link.id)).update({ removed_at: at, removed_by: userId, removed_reason: reason });
    }
    return ended;
  }

  async recordDecision(decision: {
    passportId: string;
    connectionId: string;
    decision: 'linked' | 'none-of-these';
    employeeId: string | null;
    candidates: DecisionCandidate[];
    userId: string;
    at: string;
  }): Promise<string> {
    const id = randomUUID();
    await this.knex('match_decisions').insert({
      id,
      passport_id: decision.passportId,
      connection_id: decision.connectionId,
      decision: decision.decision,
      employee_id: decision.employeeId,
      candidates: JSON.stringify(decision.candidates),
      decided_by: decision.userId,
      decided_at: decision.at,
    });
    return id;
  }
}
