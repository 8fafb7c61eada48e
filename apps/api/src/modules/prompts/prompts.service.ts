import { Injectable } from '@nestjs/common';
import {
  BUILTIN_PROMPT_CATEGORIES,
  builtinDateValues,
  type CreatePromptInput,
  extractVariables,
  isBuiltinVariable,
  type Paginated,
  type Prompt,
  type PromptDiff,
  type PromptLibraryExport,
  type PromptQuery,
  type PromptVariable,
  type PromptVersion,
  type PromptVersionSummary,
  type PromptVisibility,
  type RenderedPrompt,
  type RenderPromptInput,
  PROMPT_RENDERED_MAX,
  renderTemplate,
  templateWarnings,
  type UpdatePromptInput,
} from '@modelyard/contracts';
import { diffLines } from 'diff';
import type { AuthUser, RequestMeta } from '../../common/auth/auth.decorators';
import { paginated } from '../../common/pagination';
import { freeName, withSuffix } from '../../common/names';
import { AuditService } from '../audit/audit.service';
import { TeamsRepository } from '../teams/teams.repository';
import { UsersRepository } from '../users/users.repository';
import { type PromptAccess, promptAccess } from './prompt-access';
import { PromptsErrorCode, promptsError } from './prompts.errors';
import {
  type NewPrompt,
  type PromptChanges,
  type PromptRow,
  PromptsRepository,
  type PromptVersionRow,
  type UsageSource,
} from './prompts.repository';

/** Which version of a prompt to use: a number, a label, or the latest. */
export interface PromptPin {
  version?: number;
  label?: string;
}

/** A prompt rendered for use (chat, batch jobs): the text and which version produced it. */
export interface PromptForUse extends RenderedPrompt {
  promptId: string;
  name: string;
}

const NAME_MAX = 100;

@Injectable()
export class PromptsService {
  constructor(
    private readonly prompts: PromptsRepository,
    private readonly teams: TeamsRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  async list(user: AuthUser, query: PromptQuery): Promise<Paginated<Prompt>> {
    const [rows, total] = await this.prompts.list(user.id, user.role === 'admin', query);
    const labels = await this.prompts.labels(rows.map((r) => r.id));
    return paginated(
      rows.map((row) => toPrompt(row, access(row, user), labels.get(row.id) ?? {})),
      total,
      query.page,
      query.pageSize,
    );
  }

  async get(user: AuthUser, id: string): Promise<Prompt> {
    return this.dto(user, await this.readable(user, id));
  }

  async create(user: AuthUser, input: CreatePromptInput, meta?: RequestMeta): Promise<Prompt> {
    const visibility = input.official ? 'public' : input.visibility;
    const teamId = await this.shareTarget(user, visibility, input.teamId ?? null, input.official ?? false);
    await this.assertNameFree(user.id, input.name);
    const id = await this.prompts.create(
      {
        ownerId: user.id,
        name: input.name,
        description: input.description,
        content: input.content,
        category: input.category,
        tags: input.tags,
        visibility,
        teamId,
        variables: mergeVariables(input.content, input.variables, []),
        official: input.official ?? false,
      },
      input.changeNote ?? null,
    );
    if (visibility !== 'private') {
      await this.auditShare(user, id, null, { visibility, teamId, official: input.official ?? false }, meta);
    }
    return this.get(user, id);
  }

  async update(user: AuthUser, id: string, input: UpdatePromptInput, meta?: RequestMeta): Promise<Prompt> {
    const row = await this.readable(user, id);
    const rights = access(row, user);
    const { visibility: askedVisibility, teamId: askedTeam, official, changeNote, ...edits } = input;
    const sharing = askedVisibility !== undefined || askedTeam !== undefined || official !== undefined;
    if (Object.values(edits).some((v) => v !== undefined)) this.assertEditable(row, rights);
    const changes: PromptChanges = {
      ...(edits.name !== undefined && { name: edits.name }),
      ...(edits.description !== undefined && { description: edits.description }),
      ...(edits.category !== undefined && { category: edits.category }),
      ...(edits.tags !== undefined && { tags: edits.tags }),
    };
    if (sharing) {
      if (!rights.share) {
        throw promptsError(PromptsErrorCode.ShareForbidden, 'Only the prompt’s owner can change who sees it');
      }
      // Making a system prompt anything but public withdraws it as a system prompt; either way is for admins.
      const isOfficial =
        official ?? (askedVisibility !== undefined && askedVisibility !== 'public' ? false : row.official);
      const visibility = isOfficial ? 'public' : (askedVisibility ?? row.visibility);
      const wantedTeam = askedTeam !== undefined ? askedTeam : row.teamId;
      const teamId = await this.shareTarget(user, visibility, wantedTeam, isOfficial !== row.official);
      Object.assign(changes, { visibility, teamId, official: isOfficial });
    }
    if (changes.name !== undefined && changes.name.toLowerCase() !== row.name.toLowerCase())
      await this.assertNameFree(row.ownerId, changes.name, id);

    const content = edits.content ?? row.content;
    const variables = mergeVariables(content, edits.variables, row.variables);
    const changed = content !== row.content || !sameVariables(variables, row.variables);
    await this.prompts.update(
      id,
      changes,
      changed ? { content, variables, changeNote: changeNote ?? null, authorId: user.id } : null,
    );
    if (
      changes.visibility !== undefined &&
      (changes.visibility !== row.visibility ||
        changes.teamId !== row.teamId ||
        (changes.official ?? row.official) !== row.official)
    ) {
      await this.auditShare(
        user,
        id,
        { visibility: row.visibility, teamId: row.teamId, official: row.official },
        { visibility: changes.visibility, teamId: changes.teamId ?? null, official: changes.official ?? row.official },
        meta,
      );
    }
    const edited = Object.keys(changes).filter((key) => !['visibility', 'teamId', 'official'].includes(key));
    if (changed || edited.length > 0) {
      await this.auditOverride(
        user,
        row,
        'prompt.update',
        { fields: [...edited, ...(changed ? ['content'] : [])] },
        meta,
      );
    }
    return this.get(user, id);
  }

  async remove(user: AuthUser, id: string, meta?: RequestMeta): Promise<void> {
    const row = await this.readable(user, id);
    if (!access(row, user).delete) {
      throw promptsError(PromptsErrorCode.ReadOnly, 'You may read this prompt but not delete it');
    }
    await this.prompts.delete(id);
    if (row.ownerId !== user.id) {
      await this.audit.record({
        actorId: user.id,
        action: 'prompt.delete',
        targetType: 'prompt',
        targetId: id,
        before: { name: row.name, ownerId: row.ownerId },
        meta,
      });
    }
  }

  /**
   * A private copy of the current version in the caller's own library, under the first free "(copy)" name. Copies
   * made at the same moment race for that name: the loser takes the next free one.
   */
  async copy(user: AuthUser, id: string): Promise<Prompt> {
    const row = await this.readable(user, id);
    const [copy] = await this.prompts.createUnderFreeNames(
      user.id,
      [
        {
          ownerId: user.id,
          name: withSuffix(row.name, ' (copy)', NAME_MAX),
          description: row.description,
          content: row.content,
          category: row.category,
          tags: row.tags,
          visibility: 'private',
          teamId: null,
          variables: row.variables,
          official: false,
        },
      ],
      (wanted, taken) => freeName(wanted, taken, NAME_MAX),
      `Copied from “${row.name}” v${row.version}`,
    );
    return this.get(user, copy!.id);
  }

  async setFavorite(user: AuthUser, id: string, favorite: boolean): Promise<void> {
    await this.readable(user, id);
    await this.prompts.setFavorite(id, user.id, favorite);
  }

  async versions(user: AuthUser, id: string, page: number, pageSize: number): Promise<Paginated<PromptVersionSummary>> {
    await this.readable(user, id);
    const [[rows, total], labels] = await Promise.all([
      this.prompts.versions(id, page, pageSize),
      this.prompts.labels([id]),
    ]);
    const promptLabels = labels.get(id) ?? {};
    return paginated(
      rows.map((row) => toVersionSummary(row, promptLabels)),
      total,
      page,
      pageSize,
    );
  }

  async version(user: AuthUser, id: string, version: number): Promise<PromptVersion> {
    await this.readable(user, id);
    const [row, labels] = await Promise.all([this.existingVersion(id, version), this.prompts.labels([id])]);
    return { ...toVersionSummary(row, labels.get(id) ?? {}), content: row.content, variables: row.variables };
  }

  /** Line-level differences from one version to another. */
  async diff(user: AuthUser, id: string, from: number, to: number): Promise<PromptDiff> {
    await this.readable(user, id);
    const [a, b] = await Promise.all([this.existingVersion(id, from), this.existingVersion(id, to)]);
    const changes = diffLines(a.content, b.content, { ignoreNewlineAtEof: true }).map((part) => ({
      type: part.added ? ('added' as const) : part.removed ? ('removed' as const) : ('equal' as const),
      value: part.value,
    }));
    return { from, to, changes };
  }

  /** Makes an old version's content current again, as a new version (history is never rewritten). */
  async restore(user: AuthUser, id: string, version: number, changeNote?: string, meta?: RequestMeta): Promise<Prompt> {
    const row = await this.readable(user, id);
    this.assertEditable(row, access(row, user));
    const old = await this.existingVersion(id, version);
    if (old.content !== row.content || !sameVariables(old.variables, row.variables)) {
      await this.auditOverride(user, row, 'prompt.restore', { version }, meta);
      await this.prompts.update(
        id,
        {},
        {
          content: old.content,
          variables: old.variables,
          changeNote: changeNote || `Restored version ${version}`,
          authorId: user.id,
        },
      );
    }
    return this.get(user, id);
  }

  async setLabel(user: AuthUser, id: string, label: string, version: number, meta?: RequestMeta): Promise<Prompt> {
    const row = await this.readable(user, id);
    this.assertEditable(row, access(row, user));
    await this.existingVersion(id, version);
    await this.prompts.setLabel(id, label, version, user.id);
    await this.auditOverride(user, row, 'prompt.label_set', { label, version }, meta);
    return this.get(user, id);
  }

  async removeLabel(user: AuthUser, id: string, label: string, meta?: RequestMeta): Promise<void> {
    const row = await this.readable(user, id);
    this.assertEditable(row, access(row, user));
    if (!(await this.prompts.removeLabel(id, label))) {
      throw promptsError(PromptsErrorCode.LabelNotFound, `This prompt has no label “${label}”`);
    }
    await this.auditOverride(user, row, 'prompt.label_remove', { label }, meta);
  }

  /**
   * An admin changing someone else's prompt (not as a member of its team) leaves a trace in the audit log, as a
   * deletion does; owners and team editors at work on their own library are the prompt's version history.
   */
  private async auditOverride(
    user: AuthUser,
    row: PromptRow,
    action: string,
    after: Record<string, unknown>,
    meta?: RequestMeta,
  ): Promise<void> {
    if (user.role !== 'admin' || row.ownerId === user.id) return;
    if (row.visibility === 'team' && (row.myTeamRole === 'editor' || row.myTeamRole === 'owner')) return;
    await this.audit.record({
      actorId: user.id,
      action,
      targetType: 'prompt',
      targetId: row.id,
      before: { name: row.name, ownerId: row.ownerId },
      after,
      meta,
    });
  }

  async render(user: AuthUser, id: string, input: RenderPromptInput): Promise<RenderedPrompt> {
    const { text, missing, version } = await this.renderForUse(user, id, input, input.variables, input.timeZone);
    return { text, missing, version };
  }

  /**
   * Renders a readable prompt for use by chat or a batch job. `{{user_input}}` takes `userInput` when given (the
   * chat message), else the variable of that name; the other built-ins are always the platform's values.
   */
  async renderForUse(
    user: AuthUser,
    id: string,
    pin: PromptPin,
    variables: Record<string, string>,
    timeZone?: string,
    userInput?: string,
  ): Promise<PromptForUse> {
    const row = await this.readable(user, id);
    const { version, content, variables: declared } = await this.pinned(row, pin);
    const self = await this.users.findById(user.id);
    const values: Record<string, string | undefined> = {
      ...variables,
      ...builtinDateValues(new Date(), timeZone),
      user_name: self?.nickname ?? '',
      user_input: userInput ?? variables.user_input,
    };
    const defaults = Object.fromEntries(declared.map((v) => [v.name, v.default]));
    const { text, missing, tooLong } = renderTemplate(content, values, defaults, PROMPT_RENDERED_MAX);
    if (tooLong) {
      throw promptsError(
        PromptsErrorCode.RenderedTooLong,
        `With its values filled in, the prompt is longer than ${PROMPT_RENDERED_MAX.toLocaleString('en')} characters; shorten the values`,
        [{ path: ['variables'], message: `make the filled-in prompt at most ${PROMPT_RENDERED_MAX} characters` }],
      );
    }
    return { promptId: row.id, name: row.name, text, missing, version };
  }

  /** Like renderForUse, for a use that needs every variable: 400 PROMPT_VARIABLES_MISSING names those without one. */
  async renderComplete(...args: Parameters<PromptsService['renderForUse']>): Promise<PromptForUse> {
    const rendered = await this.renderForUse(...args);
    if (rendered.missing.length > 0) {
      throw promptsError(
        PromptsErrorCode.VariablesMissing,
        `Fill in the prompt's variables: ${rendered.missing.join(', ')}`,
        rendered.missing.map((name) => ({ path: ['variables', name], message: 'is required' })),
      );
    }
    return rendered;
  }

  /** Counts a use of the prompt (chat, batch) and records the version used. */
  async recordUsage(user: AuthUser, promptId: string, version: number, source: UsageSource): Promise<void> {
    await this.prompts.recordUsage(promptId, version, user.id, source);
  }

  async categories(user: AuthUser) {
    const counts = await this.prompts.categoryCounts(user.id, user.role === 'admin');
    const byId = new Map(counts.map((c) => [c.category, c.count]));
    const builtin = BUILTIN_PROMPT_CATEGORIES.map((id) => ({ id, builtin: true, count: byId.get(id) ?? 0 }));
    const custom = counts
      .filter((c) => !(BUILTIN_PROMPT_CATEGORIES as readonly string[]).includes(c.category))
      .map((c) => ({ id: c.category, builtin: false, count: c.count }));
    return { items: [...builtin, ...custom] };
  }

  async tags(user: AuthUser) {
    return { items: await this.prompts.tagCounts(user.id, user.role === 'admin', 200) };
  }

  /** The caller's own prompts (all, or the listed ones they can read) as a portable JSON library. */
  async exportLibrary(user: AuthUser, ids?: string[]): Promise<PromptLibraryExport> {
    let rows: PromptRow[];
    if (ids?.length) rows = await Promise.all([...new Set(ids)].map((id) => this.readable(user, id)));
    else rows = await this.prompts.findOwned(user.id);
    return {
      format: 'modelyard.prompts',
      version: 1,
      exportedAt: new Date().toISOString(),
      prompts: rows.map((row) => ({
        name: row.name,
        content: row.content,
        description: row.description,
        category: row.category,
        tags: row.tags,
        variables: row.variables,
      })),
    };
  }

  /** Imports every prompt of an export as a private prompt of the caller; a clashing name gets a suffix. */
  async importLibrary(user: AuthUser, input: PromptLibraryExport) {
    const prompts: NewPrompt[] = input.prompts.map((item) => ({
      ownerId: user.id,
      name: item.name,
      description: item.description,
      content: item.content,
      category: item.category,
      tags: [...new Set(item.tags)],
      visibility: 'private',
      teamId: null,
      variables: mergeVariables(item.content, item.variables, []),
      official: false,
    }));
    const created = await this.prompts.createUnderFreeNames(
      user.id,
      prompts,
      (wanted, taken) => freeName(wanted, taken, NAME_MAX),
      'Imported',
    );
    const renamed = created
      .map((c, i) => ({ from: prompts[i]!.name, to: c.name }))
      .filter(({ from, to }) => from !== to);
    return { created, renamed };
  }

  /* ------------------------------------------------------------- internals */

  private async dto(user: AuthUser, row: PromptRow): Promise<Prompt> {
    const labels = await this.prompts.labels([row.id]);
    return toPrompt(row, access(row, user), labels.get(row.id) ?? {});
  }

  /** The prompt if the caller may read it; 404 otherwise (never revealing that it exists). */
  private async readable(user: AuthUser, id: string): Promise<PromptRow> {
    const row = await this.prompts.find(id, user.id);
    if (!row || !access(row, user).read) throw promptsError(PromptsErrorCode.PromptNotFound, 'Prompt not found');
    return row;
  }

  private assertEditable(row: PromptRow, rights: PromptAccess): void {
    if (!rights.edit) {
      throw promptsError(
        PromptsErrorCode.ReadOnly,
        row.official
          ? 'This is a system prompt published by an administrator: copy it to your library to change it'
          : 'You may read this prompt but not change it: copy it to your library to make your own version',
      );
    }
  }

  private async existingVersion(id: string, version: number): Promise<PromptVersionRow> {
    const row = await this.prompts.version(id, version);
    if (!row) throw promptsError(PromptsErrorCode.VersionNotFound, `This prompt has no version ${version}`);
    return row;
  }

  private async pinned(
    row: PromptRow,
    pin: PromptPin,
  ): Promise<{ version: number; content: string; variables: PromptVariable[] }> {
    let version = pin.version;
    if (version === undefined && pin.label && pin.label !== 'latest') {
      version = (await this.prompts.labels([row.id])).get(row.id)?.[pin.label];
      if (version === undefined) {
        throw promptsError(PromptsErrorCode.LabelNotFound, `This prompt has no label “${pin.label}”`);
      }
    }
    if (version === undefined || version === row.version) {
      return { version: row.version, content: row.content, variables: row.variables };
    }
    const old = await this.existingVersion(row.id, version);
    return { version, content: old.content, variables: old.variables };
  }

  /** The team to store for a visibility; checks the caller may share there (editor or owner of the team). */
  private async shareTarget(
    user: AuthUser,
    visibility: PromptVisibility,
    teamId: string | null,
    changingOfficial: boolean,
  ): Promise<string | null> {
    if (changingOfficial && user.role !== 'admin') {
      throw promptsError(
        PromptsErrorCode.ShareForbidden,
        'Only administrators can publish or withdraw system prompts',
        [{ path: ['official'], message: 'is for administrators only' }],
      );
    }
    if (visibility !== 'team') return null;
    if (!teamId) {
      throw promptsError(PromptsErrorCode.TeamRequired, 'Choose the team to share the prompt with', [
        { path: ['teamId'], message: 'is required for a team prompt' },
      ]);
    }
    const role = await this.teams.roleOf(teamId, user.id);
    const teamExists = role !== null || (user.role === 'admin' && (await this.teams.find(teamId, user.id)) !== null);
    if (!teamExists || role === 'viewer') {
      throw promptsError(
        PromptsErrorCode.ShareForbidden,
        'You can share only with teams where you are an editor or owner',
        [{ path: ['teamId'], message: 'is not a team you can share with' }],
      );
    }
    return teamId;
  }

  private async assertNameFree(ownerId: string, name: string, exceptId?: string): Promise<void> {
    if (await this.prompts.nameTaken(ownerId, name, exceptId)) {
      throw promptsError(PromptsErrorCode.NameTaken, `You already have a prompt named “${name}”`, [
        { path: ['name'], message: 'is already taken' },
      ]);
    }
  }

  /** Who may see a prompt changed (visibility, team or official): before and after, so the log reads as a change. */
  private async auditShare(
    user: AuthUser,
    id: string,
    before: { visibility: PromptVisibility; teamId: string | null; official: boolean } | null,
    after: { visibility: PromptVisibility; teamId: string | null; official: boolean },
    meta?: RequestMeta,
  ): Promise<void> {
    await this.audit.record({
      actorId: user.id,
      action: 'prompt.share',
      targetType: 'prompt',
      targetId: id,
      before,
      after,
      meta,
    });
  }
}

function access(row: PromptRow, user: AuthUser): PromptAccess {
  return promptAccess(row, user, row.visibility === 'team' ? row.myTeamRole : null);
}

/**
 * The variables a prompt stores: exactly those its content uses (built-ins excluded), in order of appearance, each
 * with the description and default given now, or else those it had before.
 */
export function mergeVariables(
  content: string,
  given: PromptVariable[] | undefined,
  previous: PromptVariable[],
): PromptVariable[] {
  const source = new Map((given ?? previous).map((v) => [v.name, v]));
  return extractVariables(content)
    .filter((name) => !isBuiltinVariable(name))
    .map((name) => {
      const meta = source.get(name);
      return {
        name,
        ...(meta?.description ? { description: meta.description } : {}),
        ...(meta?.default !== undefined && meta.default !== '' ? { default: meta.default } : {}),
      };
    });
}

function sameVariables(a: PromptVariable[], b: PromptVariable[]): boolean {
  const norm = (list: PromptVariable[]) =>
    JSON.stringify(list.map((v) => [v.name, v.description ?? '', v.default ?? '']));
  return norm(a) === norm(b);
}

function toPrompt(row: PromptRow, rights: PromptAccess, labels: Record<string, number>): Prompt {
  const used = extractVariables(row.content);
  return {
    id: row.id,
    name: row.name,
    content: row.content,
    description: row.description,
    category: row.category,
    tags: row.tags,
    visibility: row.visibility,
    teamId: row.teamId,
    teamName: row.teamName,
    variables: row.variables,
    builtins: used.filter(isBuiltinVariable),
    warnings: templateWarnings(row.content),
    version: row.version,
    labels,
    usageCount: row.usageCount,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    official: row.official,
    isFavorite: row.isFavorite,
    ownerId: row.ownerId,
    ownerName: row.ownerName,
    canEdit: rights.edit,
    canDelete: rights.delete,
    canShare: rights.share,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toVersionSummary(row: PromptVersionRow, labels: Record<string, number>): PromptVersionSummary {
  return {
    version: row.version,
    changeNote: row.changeNote,
    authorId: row.authorId,
    authorName: row.authorName,
    labels: Object.entries(labels)
      .filter(([, v]) => v === row.version)
      .map(([label]) => label),
    createdAt: row.createdAt.toISOString(),
  };
}
