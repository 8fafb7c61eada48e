import type { ModelConfig, Session } from '@modelyard/contracts';
import { expect, type Locator, type Page, test } from '@playwright/test';
import {
  type Account,
  authed,
  createAccount,
  screenshotPath,
  settle,
  signInThroughForm,
  unique,
  UUID,
} from './support/app';
import { createMockProvider, createModelConfigs } from './support/mock-llm';

/** The model configs the chat user gets, by config name → mock scenario. */
const MODELS = {
  Reasoner: 'mock-reasoning@tps=20,ttft=300,reasoning=120',
  // Thinks for ≈ 2 s, then answers for ≈ 15 s: still answering after a reload.
  'Slow reasoner': 'mock-reasoning@tps=20,ttft=100,reasoning=40,tokens=300',
  // Slow enough (20 s) that an answer is still streaming after a reload on a loaded machine.
  'Slow chat': 'mock-chat@tokens=200,tps=10',
  Echo: 'mock-echo',
  // Tokens that arrive together leave the API as one event; paced ones leave one by one.
  'Paced echo': 'mock-echo@tps=50',
  'Markdown XSS': 'mock-markdown-xss',
} as const;
type ModelName = keyof typeof MODELS;

let providerId: string;
let chatter: Account;

async function createModelConfig(account: Account, name: ModelName, isDefault = false): Promise<ModelConfig> {
  const [config] = await createModelConfigs(account, [{ name, providerId, model: MODELS[name], isDefault }]);
  return config!;
}

test.beforeAll(async () => {
  providerId = await createMockProvider(unique('Chat mock'));
  chatter = await createAccount('chat');
  await createModelConfig(chatter, 'Reasoner', true);
  for (const name of ['Slow chat', 'Slow reasoner', 'Echo', 'Paced echo', 'Markdown XSS'] as const)
    await createModelConfig(chatter, name);
});

async function pickModel(page: Page, name: ModelName): Promise<void> {
  await page.getByTestId('chat-model-select').click();
  await page.getByTestId(`chat-model-option-${name}`).click();
  await expect(page.getByTestId('chat-model-select')).toContainText(name);
}

/** Starts a new chat with `model` and sends `text`; returns the answer's locator once it has its server id. */
async function startChat(page: Page, model: ModelName, text: string): Promise<{ answer: Locator; id: string }> {
  await page.getByTestId('chat-new').click();
  await expect(page).toHaveURL(/\/chat$/);
  await pickModel(page, model);
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-send').click();
  await expect(page).toHaveURL(new RegExp(`/chat/${UUID.source}$`));
  const answer = page.locator('[data-role="assistant"]').last();
  await expect(answer).toHaveAttribute('data-testid', new RegExp(`^message-${UUID.source}$`));
  const id = (await answer.getAttribute('data-testid'))!.replace('message-', '');
  return { answer: page.getByTestId(`message-${id}`), id };
}

const words = async (locator: Locator) =>
  ((await locator.textContent()) ?? '').trim().split(/\s+/).filter(Boolean).length;

test('the thinking panel opens with a live timer, folds away when the answer starts, and the chat gets a title', async ({
  page,
}) => {
  await signInThroughForm(page, chatter.email, chatter.password);
  await expect(page).toHaveURL(/\/chat$/);
  await expect(page.getByTestId('chat-welcome')).toBeVisible();

  const { answer } = await startChat(page, 'Reasoner', 'Why is the sky blue?');
  const panel = answer.getByTestId('thinking-panel');
  const timer = answer.getByTestId('thinking-timer');
  await expect(panel).toHaveAttribute('data-state', 'thinking');
  await expect(page.getByTestId('chat-stop')).toBeVisible();
  await expect(timer).toHaveText(/^Thinking… \d+\.\d s$/);
  const before = await timer.textContent();
  await expect(timer).not.toHaveText(before!, { timeout: 2000 }); // it ticks
  await page.screenshot({ path: screenshotPath('chat-thinking-light') });

  // The answer starts: the panel folds itself away and says how long it thought.
  await expect(answer.getByTestId('message-content')).toContainText('simulated answer');
  await expect(panel).toHaveAttribute('data-state', 'collapsed');
  await expect(timer).toHaveText(/^Thought for \d+(\.\d)? s$/);
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 });
  await expect(answer.getByTestId('message-meta')).toContainText(/tokens.*first token.*total.*tokens\/s/);
  await expect(page.getByTestId('chat-send')).toBeVisible();

  // It can be opened again, and "answers only" hides it altogether.
  await answer.getByTestId('thinking-toggle').click();
  await expect(panel).toHaveAttribute('data-state', 'expanded');
  await expect(panel).toContainText('step by step');
  await page.getByTestId('chat-answers-only').click();
  await expect(answer.getByTestId('thinking-panel')).toHaveCount(0);
  await page.getByTestId('chat-answers-only').click();
  // Shown again, it is as the user left it (opened by hand).
  await expect(answer.getByTestId('thinking-panel')).toHaveAttribute('data-state', 'expanded');

  // The server titles the chat after its first answer; the sidebar picks it up.
  const sessionId = page.url().split('/').pop()!;
  await expect(page.getByTestId(`chat-session-${sessionId}`)).not.toContainText('New chat', { timeout: 20_000 });
  await expect(page.getByTestId('chat-title')).not.toHaveText('New chat');
});

test('stopping an answer keeps what was written, also after a reload', async ({ page }) => {
  await signInThroughForm(page, chatter.email, chatter.password);
  const { answer, id } = await startChat(page, 'Slow chat', 'Tell me a long story');
  const content = answer.getByTestId('message-content');
  await expect.poll(() => words(content), { timeout: 15_000 }).toBeGreaterThanOrEqual(8);

  await page.getByTestId('chat-stop').click();
  await expect(answer).toHaveAttribute('data-status', 'stopped');
  await expect(answer.getByTestId('message-stopped')).toBeVisible();
  const kept = await words(content);
  expect(kept).toBeGreaterThanOrEqual(8);
  expect(kept).toBeLessThan(200);
  await expect(page.getByTestId('chat-send')).toBeVisible();

  await page.reload();
  const reloaded = page.getByTestId(`message-${id}`);
  await expect(reloaded).toHaveAttribute('data-status', 'stopped');
  expect(await words(reloaded.getByTestId('message-content'))).toBe(kept);
});

test('an answer streaming during a reload is picked up again and streams on in place to its end', async ({ page }) => {
  await signInThroughForm(page, chatter.email, chatter.password);
  const { answer, id } = await startChat(page, 'Slow chat', 'Keep talking');
  await expect.poll(() => words(answer.getByTestId('message-content')), { timeout: 15_000 }).toBeGreaterThan(10);

  await page.reload();
  const resumed = page.getByTestId(`message-${id}`);
  const content = resumed.getByTestId('message-content');
  await expect(resumed).toHaveAttribute('data-status', 'streaming');
  await expect(page.getByTestId('chat-stop')).toBeVisible();
  const afterReload = await words(content);
  await expect.poll(() => words(content), { timeout: 10_000 }).toBeGreaterThan(afterReload);
  await expect(resumed).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
  expect(await words(content)).toBe(200);
  // One answer, not a second copy next to it.
  await expect(page.locator('[data-role="assistant"]')).toHaveCount(1);
});

test('after a reload mid-answer the folded thinking panel still says how long the model thought', async ({ page }) => {
  await signInThroughForm(page, chatter.email, chatter.password);
  const { answer, id } = await startChat(page, 'Slow reasoner', 'Think first, then talk');
  const timer = answer.getByTestId('thinking-timer');
  await expect(timer).toHaveText(/^Thought for \d+(\.\d)? s$/, { timeout: 15_000 });
  const live = await timer.textContent();

  await page.reload();
  const resumed = page.getByTestId(`message-${id}`);
  await expect(resumed).toHaveAttribute('data-status', 'streaming');
  // The replay comes in one burst: the time is the server's, the same as before the reload.
  await expect(resumed.getByTestId('thinking-panel')).toHaveAttribute('data-state', 'collapsed');
  await expect(resumed.getByTestId('thinking-timer')).toHaveText(live!);
  await expect(resumed).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
  await expect(resumed.getByTestId('thinking-timer')).toHaveText(live!);
});

test('regenerating and editing make versions the user can switch between', async ({ page }) => {
  await signInThroughForm(page, chatter.email, chatter.password);
  const { answer } = await startChat(page, 'Echo', 'first question');
  await expect(answer).toHaveAttribute('data-status', 'complete');
  await expect(answer.getByTestId('message-content')).toHaveText('You said: first question');

  // Regenerate: a second answer to the same question.
  await answer.getByTestId('message-regenerate').click();
  const latest = page.locator('[data-role="assistant"]').last();
  await expect(latest.getByTestId('sibling-indicator')).toHaveText('2/2');
  await expect(latest).toHaveAttribute('data-status', 'complete');
  const secondId = await latest.getAttribute('data-testid');
  await latest.getByTestId('sibling-prev').click();
  await expect(page.locator('[data-role="assistant"]').last().getByTestId('sibling-indicator')).toHaveText('1/2');
  await expect(page.locator('[data-role="assistant"]').last()).not.toHaveAttribute('data-testid', secondId!);
  await page.locator('[data-role="assistant"]').last().getByTestId('sibling-next').click();
  await expect(page.locator('[data-role="assistant"]').last()).toHaveAttribute('data-testid', secondId!);

  // Edit the question and send it again: a new branch, with its own answer.
  const question = page.locator('[data-role="user"]').last();
  await question.getByTestId('message-edit').click();
  await question.getByTestId('message-edit-input').fill('second question');
  await question.getByTestId('message-edit-submit').click();
  const edited = page.locator('[data-role="user"]').last();
  await expect(edited.getByTestId('message-content')).toHaveText('second question');
  await expect(edited.getByTestId('sibling-indicator')).toHaveText('2/2');
  await expect(page.locator('[data-role="assistant"]').last().getByTestId('message-content')).toHaveText(
    'You said: second question',
  );

  // The branch on screen is remembered.
  await page.reload();
  await expect(page.locator('[data-role="user"]').last().getByTestId('message-content')).toHaveText('second question');
  await page.locator('[data-role="user"]').last().getByTestId('sibling-prev').click();
  await expect(page.locator('[data-role="assistant"]').last().getByTestId('sibling-indicator')).toHaveText('2/2');
  await expect(page.locator('[data-role="assistant"]').last()).toHaveAttribute('data-testid', secondId!);
});

test('a dropped connection shows the reconnect indicator and resumes with Last-Event-ID, without gap or duplicate', async ({
  page,
}) => {
  await signInThroughForm(page, chatter.email, chatter.password);
  const question = Array.from({ length: 40 }, (_, i) => `word${i + 1}`).join(' ');

  // The network cuts the answer's stream after its tenth event (a paced answer: one event per token)…
  await page.route('**/api/chat/sessions/*/messages', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const response = await route.fetch();
    const frames = (await response.text()).split('\n\n').filter((frame) => frame.trim() !== '');
    await route.fulfill({ response, body: `${frames.slice(0, 10).join('\n\n')}\n\n` });
  });
  // …and stays down for the first attempts to re-attach.
  const resumes: (string | null)[] = [];
  await page.route('**/api/chat/generations/*/events', async (route) => {
    resumes.push(await route.request().headerValue('last-event-id'));
    if (resumes.length <= 3) return route.abort('internetdisconnected');
    return route.continue();
  });

  const { answer } = await startChat(page, 'Paced echo', question);
  await expect(page.getByTestId('reconnect-indicator')).toBeVisible();
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 });
  await expect(page.getByTestId('reconnect-indicator')).toHaveCount(0);
  await expect(answer.getByTestId('message-content')).toHaveText(`You said: ${question}`);
  expect(resumes.length).toBe(4);
  expect(new Set(resumes)).toEqual(new Set(['10']));
});

test('a 2,000-message conversation renders only what is on screen and scrolls from end to start', async ({ page }) => {
  const messages = Array.from({ length: 2000 }, (_, i) =>
    i % 2 === 0
      ? { role: 'user', content: `Question number ${i / 2 + 1}` }
      : { role: 'assistant', content: `Answer **${(i + 1) / 2}** with a list:\n\n- one\n- two\n\n\`code ${i}\`` },
  );
  const { api, headers } = await authed(chatter);
  const res = await api.post('/api/chat/sessions/import', {
    headers,
    data: { format: 'modelyard.chat', version: 1, session: { title: unique('Long history') }, messages },
  });
  expect(res.status(), await res.text()).toBe(201);
  const session = (await res.json()) as Session;
  await api.dispose();

  await signInThroughForm(page, chatter.email, chatter.password);
  await page.goto(`/chat/${session.id}`);
  const list = page.getByTestId('chat-messages');
  await expect(list.getByText('Question number 1000')).toBeVisible();
  await expect(list.locator('strong', { hasText: /^1000$/ })).toBeVisible();
  const rendered = await list.locator('[data-role]').count();
  expect(rendered).toBeLessThan(40);

  // Scroll to the very start in a few big jumps, as a user dragging the scrollbar would.
  for (let i = 0; i < 4; i++) {
    await list.evaluate((el) => el.scrollBy(0, -el.scrollHeight / 3));
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
  }
  await list.evaluate((el) => (el.scrollTop = 0));
  await expect(list.getByText('Question number 1', { exact: true })).toBeVisible();
  expect(await list.locator('[data-role]').count()).toBeLessThan(40);
  await expect(page.getByTestId('chat-jump-latest')).toBeVisible();
  await page.getByTestId('chat-jump-latest').click();
  await expect(list.getByText('Question number 1000')).toBeVisible();
});

test('HTML in a model answer stays inert text; links open safely; light and dark screenshots', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await signInThroughForm(page, chatter.email, chatter.password);
  const { answer } = await startChat(page, 'Markdown XSS', 'Show me some formatting');
  await expect(answer).toHaveAttribute('data-status', 'complete');
  const content = answer.getByTestId('message-content');
  await expect(content).toContainText('<script>alert(1)</script>');

  await expect(content.locator('script')).toHaveCount(0);
  await expect(content.locator('[onerror], [onload], [onclick]')).toHaveCount(0);
  await expect(content.locator('img')).toHaveCount(0);
  await expect(content.locator('a[href^="javascript:"]')).toHaveCount(0);
  const safe = content.getByRole('link', { name: 'safe link' });
  await expect(safe).toHaveAttribute('href', 'https://example.com');
  await expect(safe).toHaveAttribute('target', '_blank');
  await expect(safe).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(content.getByText('dangerous link')).toBeVisible();
  // The code block is highlighted once highlight.js has been loaded on demand.
  await expect(content.locator('pre code.language-html span[class^="hljs-"]').first()).toBeVisible();
  await expect(content.locator('[data-code-copy]')).toBeVisible();

  await settle(page);
  await page.screenshot({ path: screenshotPath('chat-light') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await answer.getByTestId('message-content').hover();
  await settle(page);
  await page.screenshot({ path: screenshotPath('chat-dark') });
  expect(dialogs).toEqual([]);
});

test('conversations: search with excerpts, pin, rename, archive, export, import, system prompt and batch delete', async ({
  page,
}) => {
  const user = await createAccount('chats');
  await signInThroughForm(page, user.email, user.password);

  // A first visit: no conversations yet.
  await expect(page.getByTestId('chat-sessions-empty')).toBeVisible();

  const echo = await createModelConfig(user, 'Echo', true);
  const { api, headers } = await authed(user);
  const make = async (title: string) => {
    const res = await api.post('/api/chat/sessions', { headers, data: { title, modelConfigId: echo.id } });
    expect(res.status()).toBe(201);
    return (await res.json()) as Session;
  };
  const alpha = await make('Alpha notes');
  const beta = await make('Beta 计划');
  const gamma = await make('Gamma');
  // A message in Gamma, answered in the background (JSON asked for: the ids, no event stream).
  const sent = await api.post(`/api/chat/sessions/${gamma.id}/messages`, {
    headers: { ...headers, accept: 'application/json' },
    data: { content: '请解释量子纠缠 in simple words' },
  });
  expect(sent.status()).toBe(202);
  await api.dispose();

  await page.reload();
  await expect(page.getByTestId('chat-welcome')).toBeVisible();
  for (const session of [alpha, beta, gamma])
    await expect(page.getByTestId(`chat-session-${session.id}`)).toBeVisible();

  // Search reaches message text, in Chinese too, and shows where it matched.
  await page.getByTestId('chat-session-search').fill('量子');
  await expect(page.getByTestId(`chat-session-${alpha.id}`)).toHaveCount(0);
  const hit = page.getByTestId(`chat-session-${gamma.id}`);
  await expect(hit.getByTestId('chat-session-snippet')).toContainText('量子');
  await expect(hit.locator('mark')).toHaveText('量子');
  await page.getByTestId('chat-session-search').fill('');
  await expect(page.getByTestId(`chat-session-${alpha.id}`)).toBeVisible();

  const menu = async (session: Session, item: string) => {
    await page.getByTestId(`chat-session-menu-${session.id}`).click();
    // Each conversation has its own menu: click the item of the one that is open.
    await page.getByTestId(item).filter({ visible: true }).click();
    await expect(page.getByTestId(item).filter({ visible: true })).toHaveCount(0); // closed again
  };

  // Pin Alpha: it moves to the top.
  await menu(alpha, 'chat-session-pin');
  await expect(page.getByTestId('chat-session-list').locator('a').first()).toHaveAttribute(
    'data-testid',
    `chat-session-${alpha.id}`,
  );

  // Rename Beta.
  await menu(beta, 'chat-session-rename');
  const prompt = page.locator('.chat-rename-dialog');
  await prompt.locator('input').fill('Beta plan, renamed');
  await prompt.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId(`chat-session-${beta.id}`)).toContainText('Beta plan, renamed');

  // Export Gamma as Markdown.
  const download = page.waitForEvent('download');
  await menu(gamma, 'chat-session-export-md');
  expect((await download).suggestedFilename()).toMatch(/\.md$/);

  // Archive Gamma: it leaves the list and shows in the archive.
  await menu(gamma, 'chat-session-archive');
  await expect(page.getByTestId(`chat-session-${gamma.id}`)).toHaveCount(0);
  await page.getByTestId('chat-sessions-archived').click();
  await expect(page.getByTestId(`chat-session-${gamma.id}`)).toBeVisible();
  await page.getByTestId('chat-sessions-active').click();
  await expect(page.getByTestId(`chat-session-${alpha.id}`)).toBeVisible();

  // Import a JSON export: a new conversation.
  await page.getByTestId('chat-sessions-import-input').setInputFiles({
    name: 'chat.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({
        format: 'modelyard.chat',
        version: 1,
        session: { title: 'Imported chat' },
        messages: [
          { role: 'user', content: 'Hello from the archive' },
          { role: 'assistant', content: 'Hello **back**' },
        ],
      }),
    ),
  });
  // It is listed and opened at once.
  await expect(page.getByTestId('chat-session-list').getByText('Imported chat')).toBeVisible();
  await expect(page.locator('[data-role="assistant"]').getByTestId('message-content').locator('strong')).toHaveText(
    'back',
  );

  // A system prompt for this conversation: saved on it, still there after a reload.
  await expect(page.getByTestId('chat-system-prompt')).toHaveAttribute('aria-pressed', 'false');
  await page.getByTestId('chat-system-prompt').click();
  await page.getByTestId('chat-system-prompt-input').fill('Answer like a pirate.');
  await page.getByTestId('chat-system-prompt-save').click();
  await expect(page.getByTestId('chat-system-prompt-dialog')).toBeHidden();
  await page.reload();
  await expect(page.getByTestId('chat-system-prompt')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('chat-system-prompt').click();
  await expect(page.getByTestId('chat-system-prompt-input')).toHaveValue('Answer like a pirate.');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('chat-system-prompt-dialog')).toBeHidden();

  // Select two and delete them, after confirming.
  await page.getByTestId('chat-sessions-select').click();
  await page.getByTestId(`chat-session-check-${alpha.id}`).click();
  await page.getByTestId(`chat-session-check-${beta.id}`).click();
  await page.getByTestId('chat-sessions-batch-delete').click();
  const confirmBox = page.getByRole('dialog').filter({ has: page.locator('.el-message-box__btns') });
  await expect(confirmBox).toContainText('Delete the selected conversations (2)');
  await confirmBox.locator('.el-button--danger').click();
  await expect(page.getByTestId(`chat-session-${alpha.id}`)).toHaveCount(0);
  await expect(page.getByTestId(`chat-session-${beta.id}`)).toHaveCount(0);
  await expect(page.getByTestId('chat-session-list').getByText('Imported chat')).toBeVisible();
});

test('the keyboard keeps its place through Stop, Regenerate, versions and menu dialogs; screen readers hear answers', async ({
  page,
}) => {
  await signInThroughForm(page, chatter.email, chatter.password);
  const announced = page.getByTestId('chat-announcement');
  const input = page.getByTestId('chat-input');

  // Stop by keyboard: the button gives way to Send, and the keyboard lands in the composer.
  const slow = await startChat(page, 'Slow chat', 'Tell me a long story');
  await expect(announced).toHaveText('Answering…');
  await expect.poll(() => words(slow.answer.getByTestId('message-content')), { timeout: 15_000 }).toBeGreaterThan(2);
  await page.getByTestId('chat-stop').focus();
  await page.keyboard.press('Enter');
  await expect(slow.answer).toHaveAttribute('data-status', 'stopped');
  await expect(input).toBeFocused();
  await expect(announced).toHaveText('Answer stopped');

  // Regenerate by keyboard: the button goes with the old answer; the composer has the keyboard.
  const { answer } = await startChat(page, 'Echo', 'hello');
  await expect(answer).toHaveAttribute('data-status', 'complete');
  await expect(announced).toHaveText('Answer complete');
  await answer.getByTestId('message-regenerate').focus();
  await page.keyboard.press('Enter');
  await expect(input).toBeFocused();
  const latest = page.locator('[data-role="assistant"]').last();
  await expect(latest.getByTestId('sibling-indicator')).toHaveText('2/2');
  await expect(latest).toHaveAttribute('data-status', 'complete');

  // ‹ at 2/2 shows 1/2, where ‹ is disabled: the keyboard moves to ›, and from the last version back to ‹.
  await latest.getByTestId('sibling-prev').focus();
  await page.keyboard.press('Enter');
  await expect(latest.getByTestId('sibling-indicator')).toHaveText('1/2');
  await expect(latest.getByTestId('sibling-next')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(latest.getByTestId('sibling-indicator')).toHaveText('2/2');
  await expect(latest.getByTestId('sibling-prev')).toBeFocused();

  // A dialog opened from a conversation's menu gives the keyboard back to that menu's button when it closes.
  const sessionId = /\/chat\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
  const menuButton = page.getByTestId(`chat-session-menu-${sessionId}`);
  await menuButton.click();
  await page.getByTestId('chat-session-rename').filter({ visible: true }).click();
  await expect(page.locator('.chat-rename-dialog input')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.locator('.chat-rename-dialog')).toBeHidden();
  await expect(menuButton).toBeFocused();

  // The system prompt dialog opens on its text.
  await page.getByTestId('chat-system-prompt').click();
  await expect(page.getByTestId('chat-system-prompt-input')).toBeFocused();
});
