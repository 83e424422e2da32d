/**
 * Admin changes to the catalog: create and update activities, ticket types, schedules and
 * add-ons. Super admins only (catalog and prices are venue settings, §36.3); every attempt is
 * audited, denied ones included. Ticket types and schedules must point at an existing activity.
 * A schedule change generates the slots of the coming days at once (never removing or
 * re-pricing slots that exist: bookings may hold them).
 */
import type { PersonRole } from '../../machines/contract/wire.js';
import { refuse, type ErrorCode, type Refusal, type Result } from '../../machines/errors.js';
import type { AuditLog } from '../store/actor-store.js';
import { CATALOG_KINDS, issuesText, type CatalogEntities, type CatalogKind } from './catalog-schemas.js';
import { activityOf, idOf, PARENT_KIND } from './catalog-schemas.js';
import type { CatalogStore } from './catalog-store.js';

/** The admin making a change, as the hub authenticated them. */
export interface CatalogActor {
  userId: string;
  role: PersonRole;
}

/** An entity an admin change wrote. */
export interface CatalogSaved {
  kind: CatalogKind;
  id: string;
  /** Epoch ms of the write. */
  at: number;
}

/** Admin changes to the catalog. */
export interface CatalogAdmin {
  create<K extends CatalogKind>(kind: K, input: unknown, by: CatalogActor): Promise<Result<CatalogEntities[K]>>;
  /** Applies a partial change (a field given as null is removed); the id cannot change. */
  update<K extends CatalogKind>(kind: K, id: string, patch: unknown, by: CatalogActor): Promise<Result<CatalogEntities[K]>>;
  /** Hears every entity an admin change wrote, after it is stored (the menu tells open menus); returns the unsubscribe. */
  onSaved(listener: (saved: CatalogSaved) => void): () => void;
}

/** What the admin changes need. */
export interface CatalogAdminDeps {
  store: CatalogStore;
  audit: AuditLog;
  clock: () => number;
  /** Called after a schedule is saved, to generate the coming days' slots. */
  scheduleSaved: () => Promise<void>;
}

/** Parses an entity of `kind` with its schema. */
export function parseEntity<K extends CatalogKind>(kind: K, value: unknown): { ok: true; data: CatalogEntities[K] } | Refusal {
  const parsed = CATALOG_KINDS[kind].schema.safeParse(value);
  // The schema of `kind` produces exactly CatalogEntities[K]; TypeScript cannot follow the index.
  return parsed.success ? { ok: true, data: parsed.data as CatalogEntities[K] } : refuse('catalog.invalid', issuesText(parsed.error));
}

/**
 * A change applied to an entity: each top-level field given replaces the field whole, and a field
 * given as null is removed, so it falls back to its default (an Arabic name cleared: the English
 * one shows). A required field removed leaves an entity that does not parse (catalog.invalid).
 */
export function applyPatch(existing: object, patch: object): Record<string, unknown> {
  const next: Record<string, unknown> = { ...existing };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete next[field];
    else next[field] = value;
  }
  return next;
}

/** Creates the admin changes. */
export function createCatalogAdmin(deps: CatalogAdminDeps): CatalogAdmin {
  const { store, audit, clock } = deps;
  const listeners = new Set<(saved: CatalogSaved) => void>();

  async function trail(by: CatalogActor, action: string, target: string, outcome: 'allowed' | 'denied' | 'failed', code: ErrorCode | null, detail: Record<string, unknown> | null) {
    await audit.append({ at: clock(), who: `user:${by.userId}`, role: by.role, action, target, outcome, code, detail });
  }

  async function refusal(by: CatalogActor, action: string, target: string, answer: Refusal): Promise<Refusal> {
    await trail(by, action, target, answer.code === 'auth.forbidden' ? 'denied' : 'failed', answer.code, { message: answer.message });
    return answer;
  }

  /** Checks the entity's reference to its activity (or a menu item's to its category); null when it holds. */
  async function checkReference<K extends CatalogKind>(kind: K, item: CatalogEntities[K]): Promise<Refusal | null> {
    const parentId = activityOf(kind, item);
    const parentKind = PARENT_KIND[kind];
    if (parentId !== null && parentKind !== null && !(await store.items.get(parentKind, parentId))) {
      return refuse('catalog.not_found', `no ${parentKind.replace('_', ' ')} ${parentId}`);
    }
    return null;
  }

  async function save<K extends CatalogKind>(kind: K, candidate: unknown, by: CatalogActor, mode: 'create' | 'update', target: string): Promise<Result<CatalogEntities[K]>> {
    const action = `catalog.${mode}`;
    if (by.role !== 'super_admin') return refusal(by, action, target, refuse('auth.forbidden', 'only a super admin may change the catalog'));
    const parsed = parseEntity(kind, candidate);
    if (!parsed.ok) return refusal(by, action, target, parsed);
    const item = parsed.data;
    const problem = await checkReference(kind, item);
    if (problem) return refusal(by, action, target, problem);
    if (mode === 'create' && (await store.items.get(kind, idOf(kind, item)))) return refusal(by, action, target, refuse('catalog.invalid', `${kind} ${idOf(kind, item)} exists already`));
    await trail(by, action, `${kind}/${idOf(kind, item)}`, 'allowed', null, { item });
    const at = clock();
    const written = mode === 'create' ? await store.items.insert(kind, item, at) : await store.items.replace(kind, item, at);
    if (written === null) {
      const answer = mode === 'create' ? refuse('catalog.invalid', `${kind} ${idOf(kind, item)} exists already`) : refuse('catalog.not_found', `no ${kind} ${idOf(kind, item)}`);
      return refusal(by, action, target, answer);
    }
    if (kind === 'schedule') await deps.scheduleSaved();
    for (const listener of listeners) listener({ kind, id: idOf(kind, item), at });
    return { ok: true, data: item };
  }

  return {
    create: (kind, input, by) => save(kind, input, by, 'create', `${kind}/new`),

    async update(kind, id, patch, by) {
      const target = `${kind}/${id}`;
      const existing = await store.items.get(kind, id);
      if (!existing) return refusal(by, 'catalog.update', target, refuse('catalog.not_found', `no ${kind} ${id}`));
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return refusal(by, 'catalog.update', target, refuse('input.invalid', 'the change must be an object of fields'));
      // The id field is forced back to the one being updated: renames would orphan references.
      return save(kind, { ...applyPatch(existing, patch), [CATALOG_KINDS[kind].id]: id }, by, 'update', target);
    },

    onSaved(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
