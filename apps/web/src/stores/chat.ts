import type {
  ExportFormat,
  GenerationMetaEvent,
  Message,
  ModelConfig,
  SendMessageInput,
  Session,
  UpdateSessionInput,
} from '@modelyard/contracts';
import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef } from 'vue';
import { chatApi, type GenerationStreamOptions, generationStreams } from '@/api/chat';
import type { DownloadedFile } from '@/api/download';
import { type ApiError, isApiError } from '@/api/http';
import { modelConfigsApi } from '@/api/models';
import { type FollowOutcome, StreamLostError } from '@/api/sse';
import { createFrameBatcher } from '@/views/chat/frame-batch';
import { missingVariables } from '@/api/prompts';
import { browserTimeZone, type PendingPrompt, rememberSentValues } from '@/views/chat/library-prompt';
import { buildTree, pathTo, resolveLeaf, switchSibling as siblingLeaf } from '@/views/chat/message-tree';
import { hasDefaultTitle } from '@/views/chat/session-list';
import {
  applyGenerationEvent,
  initialStreamState,
  isFinished,
  mergeStream,
  placedFrom,
  type StreamState,
} from '@/views/chat/stream-reducer';
import { useChatSessionsStore } from './chat-sessions';

export type LiveConnection = 'connecting' | 'open' | 'reconnecting' | 'lost';

/** An answer being streamed into the page. */
export interface LiveAnswer {
  /** The message it is shown as: a pending id until the server names it (`meta`). */
  messageId: string;
  /** What the events added up to, published once per animation frame; null until the first frame. */
  state: StreamState | null;
  connection: LiveConnection;
  /** The times of a replay (after a reload) are estimates: the events arrived all at once. */
  replayed: boolean;
  stopping: boolean;
}

export type SessionLoadState = 'idle' | 'loading' | 'ready' | 'missing' | 'failed';

interface Follower {
  entry: LiveAnswer;
  controller: AbortController;
  work: StreamState;
  lastEventId: number;
  stopWanted: boolean;
}

interface TrackHooks {
  onMeta?: (meta: GenerationMetaEvent) => void;
  /** The server refused before anything started (429, 400…). */
  onRefused?: (error: unknown) => void;
  /** Re-attaching after a reload: when the message was created, to estimate the live thinking timer. */
  replayOrigin?: number;
}

const PENDING = 'pending-';
let pendingCounter = 0;
const pendingId = () => `${PENDING}${++pendingCounter}`;
export const isPendingId = (id: string) => id.startsWith(PENDING);

/**
 * How long to wait between looks for the title the server gives a new chat after its first answer (the model that
 * names it may be slow): soon at first, then every 15 s, for about five minutes in all.
 */
const TITLE_CHECKS_MS = [1500, 3000, 5000, 10_000, ...Array<number>(18).fill(15_000)];

/**
 * The conversation on screen: the open session, its message tree and the visible branch, the answers streaming
 * into it, and the model configs to pick from. Streams are applied to a plain working state as events arrive and
 * published to the page at most once per animation frame. Leaving a conversation only detaches from its streams:
 * generations belong to the server, and coming back (or reloading) re-attaches to any answer still streaming.
 */
export const useChatStore = defineStore('chat', () => {
  const sessions = useChatSessionsStore();

  const sessionId = ref<string | null>(null);
  const session = shallowRef<Session | null>(null);
  const loadState = ref<SessionLoadState>('idle');
  const messages = shallowRef<ReadonlyMap<string, Message>>(new Map());
  const leafId = ref<string | null>(null);
  const live = reactive(new Map<string, LiveAnswer>());
  const sendError = shallowRef<ApiError | null>(null);
  /**
   * A chat just created by its first message, until the server accepts or refuses that message: the page's address
   * waits for the answer (a refused first message takes the chat back).
   */
  const newSessionPending = ref(false);
  /** Settings of the chat not created yet (the first message creates it). */
  const draft = reactive({ modelConfigId: null as string | null, systemPrompt: '' });
  /**
   * A library prompt chosen for the conversation on screen: the next message carries it, and the server renders it
   * into the session's system prompt. Kept when that send is refused, so the user can fix its variables.
   */
  const pendingPrompt = shallowRef<PendingPrompt | null>(null);
  /** The variables the server found missing in the pending prompt (400 PROMPT_VARIABLES_MISSING): the form reopens. */
  const promptVariablesMissing = shallowRef<string[] | null>(null);

  const modelConfigs = shallowRef<ModelConfig[]>([]);
  const modelConfigsState = ref<'idle' | 'loading' | 'ready' | 'failed'>('idle');

  const followers = new Map<string, Follower>();
  let openToken = 0;
  const titleTimers = new Set<ReturnType<typeof setTimeout>>();

  const tree = computed(() => buildTree(messages.value.values()));
  const visibleLeafId = computed(() => resolveLeaf(tree.value, leafId.value));
  const path = computed(() => pathTo(tree.value, visibleLeafId.value));
  /** An answer is streaming on the branch on screen: the composer offers Stop instead of Send. */
  const streamingOnPath = computed(() => path.value.find((m) => live.has(m.id)) ?? null);
  const busy = computed(() => streamingOnPath.value !== null);
  const reconnecting = computed(() => [...live.values()].some((l) => l.connection === 'reconnecting'));

  /** The user's default, else the first usable config: a new chat always has a model that can answer. */
  const defaultModelConfig = computed(
    () =>
      modelConfigs.value.find((c) => c.isDefault && c.providerEnabled) ??
      modelConfigs.value.find((c) => c.providerEnabled) ??
      null,
  );
  const selectedModelConfigId = computed(() => {
    const chosen = session.value ? session.value.modelConfigId : draft.modelConfigId;
    return chosen ?? defaultModelConfig.value?.id ?? null;
  });
  const selectedModelConfig = computed(
    () => modelConfigs.value.find((c) => c.id === selectedModelConfigId.value) ?? null,
  );
  const systemPrompt = computed(() => (session.value ? (session.value.systemPrompt ?? '') : draft.systemPrompt));
  /** The library prompt the session's system prompt came from, if any. */
  const activePrompt = computed(() => session.value?.prompt ?? null);

  /* ---------------------------------------------------------- messages */

  function setMessages(next: Map<string, Message>): void {
    messages.value = next;
  }

  function addMessages(added: Message[]): void {
    const next = new Map(messages.value);
    for (const message of added) next.set(message.id, message);
    setMessages(next);
  }

  /** Renames pending ids to the server's, keeping the creation order. */
  function renameMessages(renames: Map<string, string>): void {
    const next = new Map<string, Message>();
    for (const [id, message] of messages.value) {
      const newId = renames.get(id) ?? id;
      const parentId = message.parentId ? (renames.get(message.parentId) ?? message.parentId) : null;
      next.set(newId, { ...message, id: newId, parentId });
    }
    setMessages(next);
    if (leafId.value && renames.has(leafId.value)) leafId.value = renames.get(leafId.value)!;
  }

  function removeMessages(ids: string[]): void {
    const next = new Map(messages.value);
    for (const id of ids) next.delete(id);
    setMessages(next);
  }

  /* ----------------------------------------------------------- streams */

  function follow(
    messageId: string,
    run: (options: GenerationStreamOptions) => Promise<FollowOutcome>,
    hooks: TrackHooks = {},
    seed: StreamState = initialStreamState(),
  ): Promise<void> {
    const controller = new AbortController();
    const entry = reactive<LiveAnswer>({
      messageId,
      state: null,
      connection: 'connecting',
      replayed: hooks.replayOrigin !== undefined,
      stopping: false,
    });
    const follower: Follower = { entry, controller, work: seed, lastEventId: 0, stopWanted: false };
    live.set(messageId, entry);
    followers.set(messageId, follower);
    const batch = createFrameBatcher(() => {
      entry.state = follower.work;
    });
    let started = false;

    return new Promise<void>((resolve, reject) => {
      const options: GenerationStreamOptions = {
        signal: controller.signal,
        onConnectionChange: (state) => {
          entry.connection = state;
        },
        onEvent: (event) => {
          if (entry.connection === 'connecting') entry.connection = 'open';
          follower.lastEventId = Math.max(follower.lastEventId, event.id);
          if (event.event === 'meta' && !started) {
            started = true;
            hooks.onMeta?.(event.data);
            if (entry.messageId !== event.data.assistantMessageId)
              rekey(entry.messageId, event.data.assistantMessageId);
            resolve();
            if (follower.stopWanted) void requestStop(event.data.generationId);
          }
          let next = applyGenerationEvent(follower.work, event);
          if (hooks.replayOrigin !== undefined) next = placedFrom(next, hooks.replayOrigin);
          follower.work = next;
          if (isFinished(next)) {
            batch.flushNow();
            finish(follower);
          } else {
            batch.schedule();
          }
        },
      };

      run(options).then(
        (outcome) => {
          if (outcome === 'aborted') batch.cancel();
          if (!started) resolve();
        },
        (error: unknown) => {
          batch.cancel();
          if (!started && !(error instanceof StreamLostError)) {
            // Nothing was created: take the optimistic messages back out.
            drop(follower);
            hooks.onRefused?.(error);
            reject(error);
            return;
          }
          if (error instanceof StreamLostError)
            follower.lastEventId = Math.max(follower.lastEventId, error.lastEventId);
          entry.state = follower.work;
          entry.connection = 'lost';
          if (!started) resolve();
        },
      );
    });
  }

  function rekey(from: string, to: string): void {
    const follower = followers.get(from);
    if (!follower) return;
    followers.delete(from);
    followers.set(to, follower);
    live.delete(from);
    follower.entry.messageId = to;
    live.set(to, follower.entry);
  }

  function drop(follower: Follower): void {
    followers.delete(follower.entry.messageId);
    live.delete(follower.entry.messageId);
  }

  function finish(follower: Follower): void {
    const id = follower.entry.messageId;
    const base = messages.value.get(id);
    drop(follower);
    follower.controller.abort();
    if (!base) return;
    addMessages([mergeStream(base, follower.work)]);
    void afterAnswer(base.sessionId, follower.work.status === 'complete');
  }

  async function requestStop(generationId: string): Promise<void> {
    try {
      await chatApi.stopGeneration(generationId);
    } catch {
      // shown by the HTTP client; the answer keeps streaming
    }
  }

  /** Stops the answer streaming into `messageId`; the server ends it as `stopped` and keeps what was written. */
  async function stop(messageId: string): Promise<void> {
    const follower = followers.get(messageId);
    if (!follower) return;
    follower.entry.stopping = true;
    const generationId = follower.work.generationId;
    if (generationId) await requestStop(generationId);
    else follower.stopWanted = true;
  }

  /** After a lost connection: follow the answer again from the last event seen. */
  function reconnect(messageId: string): void {
    const follower = followers.get(messageId);
    const generationId = follower?.work.generationId;
    if (!follower || !generationId || follower.entry.connection !== 'lost') return;
    const { work, lastEventId } = follower;
    drop(follower);
    void follow(messageId, (options) => generationStreams.reattach(generationId, options, lastEventId), {}, work);
  }

  // Answers given up on while the server was out of reach (the browser thought it was online) are followed again
  // as soon as the network comes back, without waiting for the user's Reconnect.
  globalThis.addEventListener?.('online', () => {
    for (const [messageId, entry] of live) if (entry.connection === 'lost') reconnect(messageId);
  });

  function detachAll(): void {
    for (const follower of followers.values()) follower.controller.abort();
    followers.clear();
    live.clear();
  }

  /** Any answer of the loaded conversation still streaming (a reload mid-answer) continues in place. */
  function reattachStreaming(): void {
    for (const message of messages.value.values()) {
      if (message.role !== 'assistant' || message.status !== 'streaming' || !message.generationId) continue;
      if (followers.has(message.id)) continue;
      const generationId = message.generationId;
      void follow(
        message.id,
        (options) => generationStreams.reattach(generationId, options),
        { replayOrigin: Date.parse(message.createdAt) || Date.now() },
        initialStreamState({ generationId, assistantMessageId: message.id }),
      );
    }
  }

  /** After an answer: the session moved up the list; a first answer also gets the chat its title, a bit later. */
  async function afterAnswer(id: string, complete: boolean): Promise<void> {
    const updated = await refreshSession(id);
    if (updated && complete && hasDefaultTitle(updated)) watchTitle(id);
  }

  /** Sessions whose title is being looked for (one look-out each, whichever chat is on screen meanwhile). */
  const titleWatched = new Set<string>();

  /**
   * Looks for the title of a new chat until it has one: the sidebar and, if it is on screen, the toolbar follow. It
   * starts with the first question, so a chat left while its first answer streams gets its title too.
   */
  function watchTitle(id: string): void {
    if (titleWatched.has(id)) return;
    titleWatched.add(id);
    void (async () => {
      try {
        for (const delay of TITLE_CHECKS_MS) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              titleTimers.delete(timer);
              resolve();
            }, delay);
            titleTimers.add(timer);
          });
          if (!titleWatched.has(id)) return;
          const again = await refreshSession(id);
          if (!again || !hasDefaultTitle(again)) return;
        }
      } finally {
        titleWatched.delete(id);
      }
    })();
  }

  async function refreshSession(id: string): Promise<Session | null> {
    const updated = await sessions.refresh(id);
    if (updated && sessionId.value === id) session.value = updated;
    return updated;
  }

  /* ---------------------------------------------------------- sending */

  /**
   * Creates the chat on its first message, with the model and system prompt chosen beforehand; `created` says this
   * call made it (a refused first message then takes it back: no empty chats in the list).
   */
  async function ensureSession(): Promise<{ id: string; created: boolean }> {
    if (sessionId.value) return { id: sessionId.value, created: false };
    const created = await chatApi.createSession({
      modelConfigId: selectedModelConfigId.value ?? undefined,
      systemPrompt: draft.systemPrompt.trim() || undefined,
    });
    sessions.upsert(created);
    // Set before the id, which the page's address watches.
    newSessionPending.value = true;
    session.value = created;
    sessionId.value = created.id;
    loadState.value = 'ready';
    draft.modelConfigId = null;
    draft.systemPrompt = '';
    return { id: created.id, created: true };
  }

  /** The chat a refused first message created, taken back: the screen is a new chat again, with its settings. */
  function discardNewSession(created: Session): void {
    void chatApi.deleteSession(created.id, { silent: true }).catch(() => undefined);
    sessions.remove([created.id]);
    if (sessionId.value !== created.id) return;
    draft.modelConfigId = created.modelConfigId;
    draft.systemPrompt = created.systemPrompt ?? '';
    sessionId.value = null;
    session.value = null;
    loadState.value = 'idle';
    setMessages(new Map());
    leafId.value = null;
  }

  function pendingAnswer(id: string, sid: string, parentId: string | null): Message {
    return {
      id,
      sessionId: sid,
      parentId,
      role: 'assistant',
      content: '',
      status: 'streaming',
      model: selectedModelConfig.value?.model,
      modelConfigId: selectedModelConfigId.value,
      createdAt: new Date().toISOString(),
    };
  }

  /**
   * Sends a message under `parentId` (default: the end of the branch on screen; an edited question goes under the
   * original's parent, as a sibling). Resolves once the answer has started; rejects when the server refused.
   */
  async function sendUnder(content: string, parentId: string | null): Promise<void> {
    sendError.value = null;
    let sid: string;
    let createdSession: Session | null = null;
    try {
      const ensured = await ensureSession();
      sid = ensured.id;
      if (ensured.created) createdSession = session.value;
    } catch (error) {
      sendError.value = isApiError(error) ? error : null;
      throw error;
    }
    const userId = pendingId();
    const answerId = pendingId();
    const previousLeaf = leafId.value;
    addMessages([
      {
        id: userId,
        sessionId: sid,
        parentId,
        role: 'user',
        content,
        status: 'complete',
        createdAt: new Date().toISOString(),
      },
      pendingAnswer(answerId, sid, userId),
    ]);
    leafId.value = answerId;
    const input: SendMessageInput = { content, parentId };
    if (selectedModelConfigId.value) input.modelConfigId = selectedModelConfigId.value;
    const prompt = pendingPrompt.value;
    if (prompt) Object.assign(input, promptFields(prompt));
    try {
      await follow(answerId, (options) => generationStreams.send(sid, input, options), {
        onMeta: (meta) => {
          newSessionPending.value = false;
          const renames = new Map([[answerId, meta.assistantMessageId]]);
          if (meta.userMessageId) renames.set(userId, meta.userMessageId);
          renameMessages(renames);
          if (prompt) promptApplied(sid, prompt);
        },
        onRefused: (error) => {
          removeMessages([userId, answerId]);
          leafId.value = previousLeaf;
          if (createdSession) discardNewSession(createdSession);
          sendError.value = isApiError(error) ? error : null;
          if (prompt) promptVariablesMissing.value = missingVariables(error);
        },
      });
    } finally {
      newSessionPending.value = false;
    }
    // A new chat is named after its first exchange: look out for the name from now, not only while on screen.
    if (session.value?.id === sid && session.value.messageCount === 0 && hasDefaultTitle(session.value)) {
      watchTitle(sid);
    }
  }

  function promptFields(prompt: PendingPrompt): Partial<SendMessageInput> {
    const timeZone = browserTimeZone();
    return { promptId: prompt.promptId, variables: { ...prompt.variables }, ...(timeZone && { timeZone }) };
  }

  /** The server took the prompt: it is the session's system prompt now, shown as such until the session reloads. */
  function promptApplied(sid: string, prompt: PendingPrompt): void {
    rememberSentValues(sid, prompt);
    if (pendingPrompt.value === prompt) pendingPrompt.value = null;
    promptVariablesMissing.value = null;
    if (sessionId.value === sid && session.value) {
      session.value = { ...session.value, prompt: { id: prompt.promptId, name: prompt.name, version: prompt.version } };
    }
    void refreshSession(sid);
  }

  /** Picks a library prompt for the next message (nothing is saved until it is sent). */
  function choosePrompt(prompt: PendingPrompt): void {
    pendingPrompt.value = prompt;
    promptVariablesMissing.value = null;
    if (sendError.value?.code === 'PROMPT_VARIABLES_MISSING') sendError.value = null;
  }

  /**
   * Takes the prompt away: a pending one is simply forgotten; a prompt already in use is cleared on the session
   * (the server drops the system prompt and its link to the library).
   */
  async function clearPrompt(): Promise<void> {
    if (pendingPrompt.value) {
      pendingPrompt.value = null;
      promptVariablesMissing.value = null;
      if (sendError.value?.code === 'PROMPT_VARIABLES_MISSING') sendError.value = null;
      return;
    }
    if (session.value?.prompt) await updateSession(session.value.id, { systemPrompt: null });
  }

  /** A new message at the end of the conversation on screen. */
  function send(content: string): Promise<void> {
    const leaf = visibleLeafId.value;
    return sendUnder(content, leaf && !isPendingId(leaf) ? leaf : null);
  }

  /** An edited question is sent again as a sibling of the original: a new branch. */
  function resend(message: Message, content: string): Promise<void> {
    return sendUnder(content, message.parentId);
  }

  /** Another answer to the same question, with the model now selected: a sibling of `message`. */
  async function regenerate(message: Message): Promise<void> {
    sendError.value = null;
    const answerId = pendingId();
    const previousLeaf = leafId.value;
    addMessages([pendingAnswer(answerId, message.sessionId, message.parentId)]);
    leafId.value = answerId;
    const modelConfigId = selectedModelConfigId.value ?? undefined;
    await follow(answerId, (options) => generationStreams.regenerate(message.id, { modelConfigId }, options), {
      onMeta: (meta) => renameMessages(new Map([[answerId, meta.assistantMessageId]])),
      onRefused: (error) => {
        removeMessages([answerId]);
        leafId.value = previousLeaf;
        sendError.value = isApiError(error) ? error : null;
      },
    }).catch(() => undefined);
  }

  /** Shows the previous or next sibling of `messageId` and the latest branch below it, and remembers the choice. */
  function switchSibling(messageId: string, direction: -1 | 1): void {
    const leaf = siblingLeaf(tree.value, messageId, direction);
    if (!leaf) return;
    leafId.value = leaf;
    const sid = sessionId.value;
    if (sid && !isPendingId(leaf)) {
      void chatApi.updateSession(sid, { currentLeafId: leaf }).catch(() => undefined);
    }
  }

  /* ----------------------------------------------------------- sessions */

  /** Opens a conversation (null: a new, not yet created one). */
  async function open(id: string | null): Promise<void> {
    if (id === sessionId.value && (id === null || loadState.value === 'ready' || loadState.value === 'loading')) {
      return;
    }
    const token = ++openToken;
    detachAll();
    sendError.value = null;
    // A prompt picked for another conversation does not follow the user to this one.
    pendingPrompt.value = null;
    promptVariablesMissing.value = null;
    sessionId.value = id;
    session.value = id ? (sessions.byId.get(id) ?? null) : null;
    setMessages(new Map());
    leafId.value = null;
    if (!id) {
      loadState.value = 'idle';
      return;
    }
    loadState.value = 'loading';
    try {
      const [loaded, list] = await Promise.all([
        chatApi.getSession(id, { silent: true }),
        chatApi.listMessages(id, { silent: true }),
      ]);
      if (token !== openToken) return;
      session.value = loaded;
      // The sidebar may hold an older copy (a title given while this chat was not on screen).
      if (sessions.byId.has(id)) sessions.upsert(loaded);
      setMessages(new Map(list.items.map((m) => [m.id, m])));
      leafId.value = list.currentLeafId;
      loadState.value = 'ready';
      reattachStreaming();
    } catch (error) {
      if (token !== openToken) return;
      loadState.value = isApiError(error) && error.status === 404 ? 'missing' : 'failed';
    }
  }

  function reload(): Promise<void> {
    const id = sessionId.value;
    loadState.value = 'idle';
    sessionId.value = null;
    return open(id);
  }

  /** Changes a session from the sidebar or the toolbar; the list and the open conversation follow. */
  async function updateSession(id: string, changes: UpdateSessionInput): Promise<Session> {
    const updated = await chatApi.updateSession(id, changes);
    sessions.upsert(updated);
    if (sessionId.value === id) session.value = updated;
    return updated;
  }

  async function setModel(configId: string): Promise<void> {
    if (!session.value) {
      draft.modelConfigId = configId;
      return;
    }
    await updateSession(session.value.id, { modelConfigId: configId });
  }

  /** Free text instead of a library prompt: a library prompt picked but not sent yet is dropped. */
  async function setSystemPrompt(text: string): Promise<void> {
    const value = text.trim() ? text : null;
    pendingPrompt.value = null;
    promptVariablesMissing.value = null;
    if (!session.value) {
      draft.systemPrompt = value ?? '';
      return;
    }
    await updateSession(session.value.id, { systemPrompt: value });
  }

  /** Forgets the open conversation when it was deleted. */
  function forget(ids: readonly string[]): void {
    sessions.remove(ids);
    if (sessionId.value && ids.includes(sessionId.value)) void open(null);
  }

  /** Deletes every message of a session (its running answers are stopped by the server). */
  async function clearSession(id: string): Promise<void> {
    const cleared = await chatApi.clearSession(id);
    sessions.upsert(cleared);
    if (sessionId.value === id) await reload();
  }

  async function deleteSession(id: string): Promise<void> {
    await chatApi.deleteSession(id);
    forget([id]);
  }

  async function deleteSessions(ids: string[]): Promise<{ deleted: string[]; skipped: string[] }> {
    const result = await chatApi.deleteSessions(ids);
    forget(result.deleted);
    return result;
  }

  function exportSessions(ids: string[], format: ExportFormat): Promise<DownloadedFile> {
    const timeZone = browserTimeZone();
    return ids.length === 1
      ? chatApi.exportSession(ids[0]!, format, timeZone)
      : chatApi.exportSessions(ids, format, timeZone);
  }

  /* ------------------------------------------------------ model configs */

  async function loadModelConfigs(): Promise<void> {
    modelConfigsState.value = 'loading';
    try {
      const page = await modelConfigsApi.list({ page: 1, pageSize: 100, sort: 'name', order: 'asc' }, { silent: true });
      modelConfigs.value = page.items;
      modelConfigsState.value = 'ready';
    } catch {
      modelConfigsState.value = 'failed';
    }
  }

  /** Leaving the page: stop following (the server keeps generating) and forget the timers. */
  function leave(): void {
    detachAll();
    for (const timer of titleTimers) clearTimeout(timer);
    titleTimers.clear();
    titleWatched.clear();
    openToken++;
    sessionId.value = null;
    session.value = null;
    loadState.value = 'idle';
    setMessages(new Map());
    leafId.value = null;
    pendingPrompt.value = null;
    promptVariablesMissing.value = null;
  }

  return {
    sessionId,
    newSessionPending,
    session,
    loadState,
    messages,
    leafId,
    live,
    sendError,
    draft,
    pendingPrompt,
    promptVariablesMissing,
    modelConfigs,
    modelConfigsState,
    tree,
    visibleLeafId,
    path,
    streamingOnPath,
    busy,
    reconnecting,
    defaultModelConfig,
    selectedModelConfigId,
    selectedModelConfig,
    systemPrompt,
    activePrompt,
    open,
    reload,
    leave,
    send,
    resend,
    regenerate,
    stop,
    reconnect,
    switchSibling,
    setModel,
    setSystemPrompt,
    choosePrompt,
    clearPrompt,
    updateSession,
    clearSession,
    deleteSession,
    deleteSessions,
    exportSessions,
    loadModelConfigs,
  };
});
