import { z } from 'zod';
import { AgentIdParams, AgentNameParams, DirectRoomQuery } from '../../shared/requests.js';
import { boolField, intField, stringField } from '../../shared/validation.js';
import type { AgentCatalog } from '../agents/agent-catalog.js';
import { AgentFolderExistsError, AgentImageError, AgentPathError } from '../agents/agent-writer.js';
import { GROUP_PREFIX } from '../agents/discovery.js';
import { agentNameError, normalizeName } from '../agents/names.js';
import { contentTypeForPicture } from '../agents/profile-picture.js';
import type { AgentQueries } from '../db/agents.js';
import type { Engine } from '../engine/types.js';
import type { RoomService } from '../rooms/room-service.js';
import { toAgentDto } from './dto.js';
import { AppError, badRequest, conflict, notFound, validationFailed } from './errors.js';
import { defineRoute, requireIdentity } from './route.js';
import { sendFile } from './send-file.js';

export interface AgentRouteDeps {
  catalog: AgentCatalog;
  agents: AgentQueries;
  rooms: RoomService;
  engine: Engine;
}

const nameRule = (label: string) =>
  stringField({ normalize: true, min: 1, max: 64, check: (value) => (agentNameError(value) ? `Value error, invalid ${label}: ${agentNameError(value)}` : null) });

/** Values that are not image data URLs are ignored (api.md §10.4); data URLs are checked by the writer. */
const pictureField = stringField({ nullable: true }).optional();

export const CreateAgentBody = z.object({
  name: nameRule('agent name'),
  group: nameRule('group name').nullable().optional(),
  config_file: stringField({ nullable: true, max: 1000 }).optional(),
  profile_pic: pictureField,
  in_a_nutshell: stringField({ nullable: true, max: 10_000 }).optional(),
  characteristics: stringField({ nullable: true, max: 100_000 }).optional(),
  recent_events: stringField({ nullable: true, max: 200_000 }).optional(),
  is_critic: boolField().optional(),
  interrupt_every_turn: boolField().optional(),
  priority: intField({ min: -1000, max: 1000 }).optional(),
  transparent: boolField().optional(),
});

export const UpdateAgentBody = z.object({
  in_a_nutshell: stringField({ nullable: true, max: 10_000 }).optional(),
  characteristics: stringField({ nullable: true, max: 100_000 }).optional(),
  recent_events: stringField({ nullable: true, max: 200_000 }).optional(),
  profile_pic: pictureField,
});

const DeleteAgentQuery = z.object({ delete_folder: boolField().optional() });

const isImageDataUrl = (value: string | null | undefined): value is string =>
  typeof value === 'string' && /^data:image\//i.test(value);

const writeFailed = (cause: unknown) => new AppError('internal', 500, 'Failed to write agent files', {}, { cause });

function outsideAgentsDir(field: 'group' | 'name', input: string) {
  return validationFailed([
    { type: 'value_error', loc: ['body', field], msg: 'Value error, the folder would be outside the agents directory', input },
  ]);
}

function pictureProblem(err: AgentImageError) {
  return validationFailed([{ type: 'value_error', loc: ['body', 'profile_pic'], msg: `Value error, ${err.message}` }]);
}

export function agentRoutes(deps: AgentRouteDeps) {
  async function agentOr404(id: number) {
    const row = await deps.agents.getAgentById(id);
    if (!row) throw notFound('Agent not found');
    return row;
  }

  return [
    defineRoute({
      method: 'GET',
      path: '/agents',
      auth: 'token',
      docs: { summary: 'Every agent', tag: 'agents', response: 'Agent[]' },
      handler: async () => (await deps.agents.listAgents()).map(toAgentDto),
    }),
    defineRoute({
      method: 'GET',
      path: '/agents/configs',
      auth: 'token',
      docs: { summary: 'A fresh scan of the agents folder', tag: 'agents' },
      handler: async () => ({ configs: await deps.catalog.listConfigs() }),
    }),
    defineRoute({
      method: 'POST',
      path: '/agents',
      auth: 'admin',
      body: CreateAgentBody,
      docs: { summary: 'Create an agent (writes its folder)', tag: 'agents', response: 'Agent' },
      handler: async ({ body }) => {
        const configFile = body.config_file ?? null;
        if (configFile === null && (body.group ?? null) === null && body.name.startsWith(GROUP_PREFIX)) {
          // Discovery reads a top-level `group_*` folder as a group, so such an agent could never be found again.
          throw validationFailed([
            {
              type: 'value_error',
              loc: ['body', 'name'],
              msg: `Value error, an ungrouped agent name must not start with "${GROUP_PREFIX}"`,
              input: body.name,
            },
          ]);
        }
        try {
          const result = await deps.catalog.create({
            name: body.name,
            group: body.group ?? null,
            configFile,
            texts: {
              inANutshell: body.in_a_nutshell ?? '',
              characteristics: body.characteristics ?? '',
              recentEvents: body.recent_events ?? '',
            },
            flags: {
              ...(body.interrupt_every_turn !== undefined ? { interrupt_every_turn: body.interrupt_every_turn } : {}),
              ...(body.priority !== undefined ? { priority: body.priority } : {}),
              ...(body.transparent !== undefined ? { transparent: body.transparent } : {}),
              ...(body.is_critic !== undefined ? { critic: body.is_critic } : {}),
            },
            profilePicDataUrl: isImageDataUrl(body.profile_pic) ? body.profile_pic : null,
          });
          if (result.ok) return toAgentDto(result.agent);
          if (result.reason === 'name_taken') throw conflict(`Agent with name '${body.name}' already exists`);
          throw validationFailed([
            {
              type: 'value_error',
              loc: ['body', 'config_file'],
              msg: 'Value error, config_file must name an existing agent folder inside the agents directory',
              input: body.config_file,
            },
          ]);
        } catch (err) {
          if (err instanceof AgentFolderExistsError) throw conflict(`Agent folder '${err.relPath}' already exists`);
          if (err instanceof AgentImageError) throw pictureProblem(err);
          // Names are already valid, so only a symlinked group or agent folder leading outside gets here (§2.2 rule 3).
          if (err instanceof AgentPathError) throw outsideAgentsDir(body.group ? 'group' : 'name', body.group ?? body.name);
          if (err instanceof AppError) throw err;
          throw writeFailed(err);
        }
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/agents/:agent_id',
      auth: 'token',
      params: AgentIdParams,
      docs: { summary: 'One agent', tag: 'agents', response: 'Agent' },
      handler: async ({ params }) => toAgentDto(await agentOr404(params.agent_id)),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/agents/:agent_id',
      auth: 'admin',
      params: AgentIdParams,
      body: UpdateAgentBody,
      docs: { summary: "Rewrite an agent's files", tag: 'agents', response: 'Agent' },
      handler: async ({ params, body }) => {
        await agentOr404(params.agent_id);
        const texts: Record<string, string> = {};
        if (typeof body.in_a_nutshell === 'string') texts.inANutshell = body.in_a_nutshell;
        if (typeof body.characteristics === 'string') texts.characteristics = body.characteristics;
        if (typeof body.recent_events === 'string') texts.recentEvents = body.recent_events;
        try {
          const row = await deps.catalog.update(params.agent_id, {
            texts,
            profilePicDataUrl: isImageDataUrl(body.profile_pic) ? body.profile_pic : null,
          });
          if (!row) throw notFound('Agent not found');
          return toAgentDto(row);
        } catch (err) {
          if (err instanceof AgentImageError) throw pictureProblem(err);
          if (err instanceof AppError) throw err;
          throw writeFailed(err);
        }
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/agents/:agent_id',
      auth: 'admin',
      params: AgentIdParams,
      query: DeleteAgentQuery,
      docs: { summary: 'Delete an agent (its folder moves to .trash)', tag: 'agents', response: 'MessageResult' },
      handler: async ({ params }) => {
        const row = await agentOr404(params.agent_id);
        await deps.engine.interruptAgent(row.id, {});
        try {
          await deps.catalog.remove(row);
        } catch (err) {
          throw writeFailed(err);
        }
        return { message: 'Agent deleted successfully' };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/agents/:agent_id/reload',
      auth: 'admin',
      params: AgentIdParams,
      docs: { summary: "Re-read an agent's folder", tag: 'agents', response: 'Agent' },
      handler: async ({ params }) => {
        const row = await agentOr404(params.agent_id);
        const result = await deps.catalog.reload(row);
        if (result.ok) return toAgentDto(result.agent);
        if (result.reason === 'no_config_file') throw badRequest(`Agent ${row.name} does not have a config file to reload from`);
        throw badRequest(`Failed to load config from ${row.configFile}`);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/agents/:agent_id/direct-room',
      auth: 'token',
      params: AgentIdParams,
      query: DirectRoomQuery,
      docs: { summary: "The caller's one-on-one room with an agent", tag: 'agents', response: 'Room' },
      handler: async (context) => {
        const row = await agentOr404(context.params.agent_id);
        return deps.rooms.directRoom(requireIdentity(context), row, context.query);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/agents/:agent_name/profile-pic',
      auth: 'public',
      params: AgentNameParams,
      docs: { summary: "An agent's profile picture", tag: 'agents', response: { contentType: 'image/*', description: 'The image' } },
      handler: async ({ params, request, reply }) => {
        const name = normalizeName(params.agent_name);
        if (agentNameError(name) !== null) throw badRequest('Invalid agent name');
        const path = await deps.catalog.profilePicturePath(name);
        if (!path) throw notFound('Profile picture not found');
        const contentType = contentTypeForPicture(path);
        const headers: Record<string, string> = {
          'Content-Type': contentType,
          'Cache-Control': 'public, max-age=3600, must-revalidate',
          'X-Content-Type-Options': 'nosniff',
        };
        if (contentType === 'image/svg+xml') {
          headers['Content-Security-Policy'] = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
        }
        await sendFile(request, reply, path, headers);
        return undefined;
      },
    }),
  ];
}
