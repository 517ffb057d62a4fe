/**
 * The registry's vocabulary, as the web application shows it: the office's departments,
 * categories and localities (its configuration), and the Chinese label of every code the API returns (statuses,
 * item types, channels, outcomes, actions, clocks, letters, documents, retention classes, roles).
 * Served at `GET /vocabulary` so the browser never carries a second copy of these tables.
 */
import { ACTIONS, ACTION_LABELS } from '../domain/actions';
import { RETENTION_INFO } from '../domain/archive';
import { RETENTION_CLASSES } from '../domain/archive-info';
import { OUTCOMES, OUTCOME_LABELS } from '../domain/opinion';
import { RATINGS, RATING_LABELS, STATUSES, STATUS_LABELS, UPLOAD_KINDS, UploadRequestSchema } from '../domain/case';
import { DOCUMENT_KIND_LABELS } from '../domain/documents';
import type { OfficeSettings } from '../domain/office';
import { ROLE_LABELS } from '../domain/roles';
import { SUPERVISION_LEVEL_LABELS } from '../domain/supervision';
import { CLOCK_LABELS } from '../domain/sweep';
import {
  CHANNELS,
  CHANNEL_LABELS,
  DELIVERY_METHODS,
  DELIVERY_METHOD_LABELS,
  ITEM_TYPES,
  ITEM_TYPE_LABELS,
  LEVEL_CHANNELS,
  MAX_REPRESENTATIVES,
  PETITION_LEVELS,
  PETITION_LEVEL_LABELS,
  STATUTORY_ROUTES,
  STATUTORY_ROUTE_LABELS,
} from '../domain/taxonomy';
import { LETTER_TITLES, LETTER_TYPES } from '../domain/letter-types';

export interface Option {
  code: string;
  name: string;
  /** A retired department or category: shown on its cases, offered by no form. */
  retired?: boolean;
}

/** A category with its subcategories (子类), retired ones marked. */
export interface CategoryOption extends Option {
  subcategories: Option[];
}

export interface Vocabulary {
  office: { name: string; caseNumberPrefix: string; maxUploadBytes: number };
  departments: Option[];
  categories: CategoryOption[];
  /** 问题属地: the office's localities (OFFICE_CONFIG `localities`), the codes registration accepts. */
  localities: Option[];
  /** 信访层级: the level a visit or referral reached. */
  petitionLevels: Option[];
  /** The channels a level is recorded for (visits and referrals). */
  levelChannels: string[];
  statuses: Option[];
  itemTypes: Option[];
  channels: Option[];
  statutoryRoutes: Option[];
  outcomes: Option[];
  ratings: Option[];
  deliveryMethods: Option[];
  actions: Option[];
  clocks: Option[];
  letterTypes: Option[];
  documentKinds: Option[];
  uploadKinds: string[];
  uploadContentTypes: string[];
  retentionClasses: Option[];
  supervisionLevels: Option[];
  roles: Option[];
  maxRepresentatives: number;
}

function options<K extends string>(codes: readonly K[], labels: Readonly<Record<K, string>>): Option[] {
  return codes.map((code) => ({ code, name: labels[code] }));
}

function entries(labels: Readonly<Record<string, string>>): Option[] {
  return Object.entries(labels).map(([code, name]) => ({ code, name }));
}

export function buildVocabulary(settings: OfficeSettings): Vocabulary {
  return {
    office: { name: settings.letters.organName, caseNumberPrefix: settings.caseNumberPrefix, maxUploadBytes: settings.maxUploadBytes },
    // Retired ones too (their cases still show their name), marked so no form offers them.
    departments: settings.departments.map((d) => ({ code: d.code, name: d.name, ...(d.retired ? { retired: true } : {}) })),
    categories: settings.categories.map((c) => ({
      code: c.code,
      name: c.name,
      ...(c.retired ? { retired: true } : {}),
      subcategories: c.subcategories.map((s) => ({ code: s.code, name: s.name, ...(s.retired ? { retired: true } : {}) })),
    })),
    localities: settings.localities.map((l) => ({ code: l.code, name: l.name })),
    petitionLevels: options(PETITION_LEVELS, PETITION_LEVEL_LABELS),
    levelChannels: [...LEVEL_CHANNELS],
    statuses: options(STATUSES, STATUS_LABELS),
    itemTypes: options(ITEM_TYPES, ITEM_TYPE_LABELS),
    channels: options(CHANNELS, CHANNEL_LABELS),
    statutoryRoutes: options(STATUTORY_ROUTES, STATUTORY_ROUTE_LABELS),
    outcomes: options(OUTCOMES, OUTCOME_LABELS),
    ratings: options(RATINGS, RATING_LABELS),
    deliveryMethods: options(DELIVERY_METHODS, DELIVERY_METHOD_LABELS),
    actions: options(ACTIONS, ACTION_LABELS),
    clocks: entries(CLOCK_LABELS),
    letterTypes: options(LETTER_TYPES, LETTER_TITLES),
    documentKinds: entries(DOCUMENT_KIND_LABELS),
    uploadKinds: [...UPLOAD_KINDS],
    uploadContentTypes: [...UploadRequestSchema.shape.contentType.options],
    retentionClasses: RETENTION_CLASSES.map((code) => ({ code, name: RETENTION_INFO[code].label })),
    supervisionLevels: entries(SUPERVISION_LEVEL_LABELS),
    roles: entries(ROLE_LABELS),
    maxRepresentatives: MAX_REPRESENTATIVES,
  };
}
