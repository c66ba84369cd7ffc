import type { Agent } from '../../shared/models';
import type { PersonaField } from './agent-endpoints';

/**
 * The persona editor's per-file state (ui.md §4.7 "Save"): each tab remembers the base text it started from, so a
 * save can tell whether the file changed on disk since, and a refetch can update clean tabs silently.
 */

export const PERSONA_FIELDS = ['in_a_nutshell', 'characteristics', 'recent_events'] as const satisfies readonly PersonaField[];

export interface FileState {
  /** The server's text when this tab was loaded or last saved. */
  base: string;
  /** What is in the editor. */
  text: string;
  /** A refetch showed a different server text while this tab had unsaved edits. */
  changedOnDisk: boolean;
}

export type PersonaState = Record<PersonaField, FileState>;

export const serverText = (agent: Agent, field: PersonaField): string => agent[field] ?? '';

export function initialPersona(agent: Agent): PersonaState {
  const state = {} as PersonaState;
  for (const field of PERSONA_FIELDS) {
    const text = serverText(agent, field);
    state[field] = { base: text, text, changedOnDisk: false };
  }
  return state;
}

export const isDirty = (file: FileState): boolean => file.text !== file.base;

/** A refetched agent: clean tabs follow it; dirty tabs keep their text and are flagged when the disk moved on. */
export function mergeRefetched(state: PersonaState, agent: Agent): PersonaState {
  let changed = false;
  const next = { ...state };
  for (const field of PERSONA_FIELDS) {
    const file = state[field];
    const disk = serverText(agent, field);
    if (!isDirty(file)) {
      if (file.base !== disk || file.text !== disk || file.changedOnDisk) {
        next[field] = { base: disk, text: disk, changedOnDisk: false };
        changed = true;
      }
    } else if (disk !== file.base && !file.changedOnDisk) {
      next[field] = { ...file, changedOnDisk: true };
      changed = true;
    }
  }
  return changed ? next : state;
}
