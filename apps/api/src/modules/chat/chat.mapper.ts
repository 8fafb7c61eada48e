import type { Message, Session } from '@modelyard/contracts';
import type { ChatMessageEntity } from './chat-message.entity';
import type { ChatSessionEntity } from './chat-session.entity';

export function toSession(row: ChatSessionEntity & { snippet?: string }): Session {
  return {
    id: row.id,
    title: row.title,
    modelConfigId: row.modelConfigId,
    systemPrompt: row.systemPrompt,
    prompt:
      row.promptId && row.promptVersion !== null
        ? { id: row.promptId, name: row.promptName ?? '', version: row.promptVersion }
        : null,
    pinned: row.pinned,
    archived: row.archived,
    currentLeafId: row.currentLeafId,
    messageCount: row.messageCount,
    lastActivityAt: row.lastActivityAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...(row.snippet !== undefined && { snippet: row.snippet }),
  };
}

export function toMessage(row: ChatMessageEntity): Message {
  return {
    id: row.id,
    sessionId: row.sessionId,
    parentId: row.parentId,
    role: row.role,
    content: row.content,
    ...(row.reasoning && { reasoning: row.reasoning }),
    ...(row.reasoningMs !== null && { reasoningMs: row.reasoningMs }),
    ...(row.model && { model: row.model }),
    ...(row.role === 'assistant' && { modelConfigId: row.modelConfigId }),
    status: row.status,
    ...(row.usage && { usage: row.usage }),
    ...(row.ttftMs !== null && { ttftMs: row.ttftMs }),
    ...(row.totalMs !== null && { totalMs: row.totalMs }),
    ...(row.finishReason && { finishReason: row.finishReason }),
    ...(row.error && { error: row.error }),
    ...(row.generationId && { generationId: row.generationId }),
    createdAt: row.createdAt.toISOString(),
  };
}
