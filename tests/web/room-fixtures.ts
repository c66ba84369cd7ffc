import type { Agent, RoomSummary } from '../../src/shared/models';

/** Wire fixtures shared by the room header, room list and agent panel tests. */

const at = '2026-01-05T09:30:00.000Z';

export function room(id: number, name: string, patch: Partial<RoomSummary> = {}): RoomSummary {
  return {
    id,
    name,
    owner_id: 'admin',
    max_interactions: null,
    is_paused: false,
    is_finished: false,
    default_provider: 'claude',
    default_model: null,
    created_at: at,
    last_activity_at: at,
    last_read_at: at,
    running: null,
    has_unread: false,
    ...patch,
  };
}

export function agent(id: number, name: string, patch: Partial<Agent> = {}): Agent {
  return {
    id,
    name,
    group: null,
    config_file: null,
    profile_pic: null,
    in_a_nutshell: `${name} in a nutshell`,
    characteristics: null,
    recent_events: null,
    is_critic: false,
    interrupt_every_turn: false,
    priority: 0,
    transparent: false,
    system_prompt: `You are ${name}.`,
    session_id: null,
    created_at: at,
    ...patch,
  };
}

export const adminSession = { success: true, role: 'admin', user_id: 'admin', expires_at: '2030-01-01T00:00:00.000Z' };
export const guestSession = { success: true, role: 'guest', user_id: 'guest-1', expires_at: '2030-01-01T00:00:00.000Z' };

