import type { Prompt, Session } from '@modelyard/contracts';
import { expect, type Locator, type Page, test } from '@playwright/test';
import {
  type Account,
  authed,
  BASE_URL,
  createAccount,
  screenshotPath,
  signInThroughForm,
  unique,
  UUID,
} from './support/app';
import { createMockProvider, createModelConfigs } from './support/mock-llm';

/** The prompt the sharing and chat tests start from (the editor test writes its own). */
const EXPLAINER = 'You are an expert on {{topic}}.\nExplain it to {{ audience }} in plain words.';

/** A prompt made over HTTP, for tests about what comes after writing it. */
async function seedPrompt(account: Account, data: Record<string, unknown>): Promise<Prompt> {
  const { api, headers } = await authed(account);
  try {
    const res = await api.post('/api/prompts', { headers, data });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as Prompt;
  } finally {
    await api.dispose();
  }
}

async function getJson<T>(account: Account, path: string): Promise<T> {
  const { api, headers } = await authed(account);
  try {
    const res = await api.get(path, { headers });
    expect(res.status(), await res.text()).toBe(200);
    return (await res.json()) as T;
  } finally {
    await api.dispose();
  }
}

const byData = (page: Page | Locator, testId: string, attr: string, value: string) =>
  page.locator(`[data-testid="${testId}"][data-${attr}="${value}"]`);

/** Waits until fonts, toasts and transitions have settled, so screenshots show what a user sees. */
async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await expect(page.locator('.el-message')).toHaveCount(0, { timeout: 8000 });
  await page.evaluate(() => document.fonts.ready);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** The page in light mode, then in dark mode, then back to light. */
async function screenshotBothSchemes(page: Page, name: string): Promise<void> {
  const html = page.locator('html');
  await settle(page);
  await page.screenshot({ path: screenshotPath(`${name}-light`), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(html).toHaveClass(/\bdark\b/);
  await settle(page);
  await page.screenshot({ path: screenshotPath(`${name}-dark`), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(html).not.toHaveClass(/\bdark\b/);
}

/** Saves the editor and waits for the version it made. */
async function saveAs(page: Page, version: number, toast: string): Promise<void> {
  await page.getByTestId('prompt-save').click();
  await expect(page.locator('.el-message').filter({ hasText: toast })).toBeVisible();
  await expect(page.getByTestId('prompt-version')).toHaveAttribute('data-version', String(version));
  await expect(page.getByTestId('prompt-version')).toContainText(`Version ${version}`);
  await expect(page.getByTestId('prompt-save')).toBeDisabled(); // nothing left to save
}

test('a prompt is written with variables, edited twice, compared with an older version and restored', async ({
  page,
}) => {
  test.setTimeout(120_000); // a long journey, with screenshots in both schemes
  const owner = await createAccount('prompts');
  const name = unique('Explainer');
  const v1 =
    'You are an expert on {{topic}}.\nExplain it to {{ audience }} in plain words.\nEnd with one tip about {{topic}}.';
  const v2 =
    'You are an expert on {{topic}}.\nExplain it to {{ audience }} with one example.\nEnd with one tip about {{topic}}.';
  const v3 =
    'You are an expert on {{topic}}.\nExplain it to {{ audience }} with one example.\nKeep it under 200 words.\nEnd with one tip about {{topic}}.';

  await signInThroughForm(page, owner.email, owner.password);
  await page.getByTestId('nav-prompts').click();
  await expect(page).toHaveURL(/\/prompts$/);
  // Other suites' public prompts may be listed; this user has none of their own yet.
  await page.goto('/prompts?mine=true');
  await expect(page.getByTestId('prompts-no-match')).toBeVisible();
  await page.getByTestId('prompt-new').click();
  await expect(page).toHaveURL(/\/prompts\/new$/);
  const editor = page.getByTestId('prompt-editor');
  await expect(editor).toHaveAttribute('data-mode', 'new');
  await expect(page.getByTestId('variables-panel')).toContainText('No variables yet');

  // Write it: a chip for each variable, with or without spaces inside the braces.
  await page.getByTestId('prompt-name').fill(name);
  await page.getByTestId('prompt-description').fill('Explains a topic to a given audience.');
  const content = page.getByTestId('prompt-content');
  await content.fill(
    'You are an expert on {{topic}}.\nExplain it to {{ audience }} in plain words.\nEnd with one tip about ',
  );
  const chips = page.getByTestId('variable-chip');
  await expect(chips).toHaveCount(2);
  await expect(byData(page, 'variable-chip', 'variable', 'topic')).toHaveText('topic');
  await expect(byData(page, 'variable-chip', 'variable', 'audience')).toHaveText('audience');
  await expect(byData(page, 'variable-chip', 'variable', 'audience')).toHaveAttribute('data-builtin', 'false');

  // Clicking a chip inserts the variable at the caret, and the caret stays in the text.
  await byData(page, 'variable-chip', 'variable', 'topic').click();
  await expect(content).toHaveValue(
    'You are an expert on {{topic}}.\nExplain it to {{ audience }} in plain words.\nEnd with one tip about {{topic}}',
  );
  await expect(content).toBeFocused();
  await page.keyboard.type('.');
  await expect(content).toHaveValue(v1);
  await expect(chips).toHaveCount(2); // the same variable twice is one variable

  // A default for the audience, a description for the topic.
  await byData(page, 'variable-description', 'variable', 'topic').fill('What to explain');
  await byData(page, 'variable-default', 'variable', 'audience').fill('beginners');

  // The render preview: the default is used, the topic is missing and marked where it goes…
  await page.getByTestId('prompt-tab-render').click();
  const render = page.getByTestId('render-preview');
  await expect(byData(page, 'sample-value', 'variable', 'audience')).toHaveValue('beginners');
  await expect(byData(page, 'sample-value', 'variable', 'topic')).toHaveValue('');
  await expect(page.getByTestId('render-missing')).toContainText('Still missing: topic');
  await expect(render).toHaveAttribute('data-missing', 'topic');
  await expect(render.locator('mark')).toHaveText(['{{topic}}', '{{topic}}']);
  await expect(render).toContainText('Explain it to beginners in plain words.');
  // …until a sample value fills it.
  await byData(page, 'sample-value', 'variable', 'topic').fill('black holes');
  await expect(page.getByTestId('render-missing')).toHaveCount(0);
  await expect(render).toHaveAttribute('data-missing', '');
  await expect(render.locator('mark')).toHaveCount(0);
  await expect(render).toContainText('You are an expert on black holes.');
  await expect(render).toContainText('End with one tip about black holes.');
  await settle(page);
  await page.getByTestId('prompt-preview').screenshot({ path: screenshotPath('prompts-editor-render-light') });
  await page.getByTestId('prompt-back').scrollIntoViewIfNeeded();
  await screenshotBothSchemes(page, 'prompts-editor');

  // Save: the page becomes the saved prompt, at version 1.
  await page.getByTestId('prompt-save').click();
  await expect(page).toHaveURL(new RegExp(`/prompts/${UUID.source}$`));
  await expect(editor).toHaveAttribute('data-mode', 'edit');
  await expect(page.locator('.el-message').filter({ hasText: `Created “${name}”` })).toBeVisible();
  await expect(page.getByTestId('prompt-version')).toHaveAttribute('data-version', '1');
  await expect(page.locator('.editor-header__title')).toHaveText(name);
  await expect(content).toHaveValue(v1);
  await expect(byData(page, 'variable-default', 'variable', 'audience')).toHaveValue('beginners');

  // Two edits, each with a change note: versions 2 and 3.
  await expect(page.getByTestId('prompt-change-note')).toHaveCount(0);
  await content.fill(v2);
  await page.getByTestId('prompt-change-note').fill('Ask for an example');
  await saveAs(page, 2, 'Saved as version 2');
  await content.fill(v3);
  await page.getByTestId('prompt-change-note').fill('Keep it short');
  await saveAs(page, 3, 'Saved as version 3');

  // The history, newest first, with the notes.
  await page.getByTestId('prompt-tab-versions').click();
  await expect(page).toHaveURL(/\?tab=versions$/);
  const rows = page.getByTestId('version-row');
  await expect(rows).toHaveCount(3);
  for (const [index, version] of ['3', '2', '1'].entries())
    await expect(rows.nth(index)).toHaveAttribute('data-version', version);
  await expect(rows.nth(0)).toContainText('Keep it short');
  await expect(rows.nth(0)).toContainText('current');
  await expect(rows.nth(1)).toContainText('Ask for an example');
  await expect(rows.nth(2)).toContainText('No note');
  for (const row of await rows.all()) await expect(row).toContainText(owner.nickname);

  // Compare v1 with v3, side by side.
  const row = (version: number) => byData(page, 'version-row', 'version', String(version));
  await expect(page.getByTestId('version-compare')).toBeDisabled();
  await row(1).getByTestId('version-select').click();
  await row(3).getByTestId('version-select').click();
  await expect(page.getByTestId('version-compare')).toHaveText('Compare v1 with v3');
  await page.getByTestId('version-compare').click();
  const diff = page.getByTestId('version-diff');
  await expect(diff).toHaveAttribute('data-from', '1');
  await expect(diff).toHaveAttribute('data-to', '3');
  await expect(diff).toContainText('v1 → v3');
  await expect(diff.locator('thead')).toContainText('v1 (older)');
  await expect(diff.locator('thead')).toContainText('v3 (newer)');
  await expect(diff.locator('td.is-removed')).toHaveText(['−Explain it to {{ audience }} in plain words.']);
  await expect(diff.locator('td.is-added')).toHaveText([
    '+Explain it to {{ audience }} with one example.',
    '+Keep it under 200 words.',
  ]);
  await expect(diff).toContainText('+2');
  await expect(diff).toContainText('−1');
  const unchanged = diff.locator('tr[data-type="equal"]');
  await expect(unchanged).toHaveCount(2);
  await expect(unchanged.first()).toContainText('You are an expert on {{topic}}.');
  await expect(unchanged.last()).toContainText('End with one tip about {{topic}}.');
  await screenshotBothSchemes(page, 'prompts-diff');

  // Restore v1: a new version 4 with v1's content.
  await row(1).getByTestId('version-restore').click();
  const confirmBox = page.locator('.el-message-box.confirm-dialog');
  await expect(confirmBox).toContainText('Restoring makes a new version with the content of v1');
  await expect(confirmBox.locator('input')).toHaveValue('Restored v1');
  await confirmBox.locator('.el-message-box__btns .el-button--primary').click();
  await expect(confirmBox).toBeHidden();
  await expect(page.locator('.el-message').filter({ hasText: 'Restored v1 as v4' })).toBeVisible();
  await expect(page.getByTestId('prompt-version')).toHaveAttribute('data-version', '4');
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(0)).toHaveAttribute('data-version', '4');
  await expect(rows.nth(0)).toContainText('Restored v1');
  await expect(rows.nth(0)).toContainText('current');
  await expect(row(4).getByTestId('version-restore')).toHaveCount(0);
  await row(4).getByTestId('version-view').click();
  const viewDialog = page.getByTestId('version-view-dialog');
  await expect(viewDialog).toContainText('Version 4');
  await expect(viewDialog.getByTestId('version-content')).toHaveText(v1);
  await page.keyboard.press('Escape');
  await expect(viewDialog).toBeHidden();

  // The editor shows v1's text again, and the server agrees.
  await page.getByTestId('prompt-tab-edit').click();
  await expect(content).toHaveValue(v1);
  await expect(page.getByTestId('prompt-save')).toBeDisabled();
  const id = page.url().split('/').pop()!.split('?')[0]!;
  const saved = await getJson<Prompt>(owner, `/api/prompts/${id}`);
  expect(saved).toMatchObject({ version: 4, content: v1 });
});

test('a prompt shared with a new team shows, read-only, in a viewer’s library', async ({ page, browser }) => {
  test.setTimeout(150_000); // two users, three pages, screenshots in both schemes
  const owner = await createAccount('sharer');
  const viewer = await createAccount('viewer');
  const teamName = unique('Tutors');
  const prompt = await seedPrompt(owner, {
    name: unique('Team explainer'),
    description: 'Explains a topic to a given audience, with an example.',
    content: EXPLAINER,
    category: 'tutoring',
    tags: ['teaching', 'e2e'],
    variables: [{ name: 'audience', default: 'beginners' }],
  });
  // More of the owner's prompts, so the library shows a grid.
  await seedPrompt(owner, {
    name: unique('Code reviewer'),
    description: 'Reviews a diff for bugs, naming and missing tests; answers with a short list of findings.',
    content: 'Review this {{language}} change:\n{{user_input}}',
    category: 'coding',
    tags: ['review', 'code', 'quality', 'long-tag-name-for-layout', 'fifth'],
  });
  await seedPrompt(owner, {
    name: unique('Translator with a rather long name that must not overflow its card'),
    content: 'Translate into {{language}}:\n{{user_input}}',
    category: 'translation',
    visibility: 'public',
  });

  await signInThroughForm(page, owner.email, owner.password);
  await page.getByTestId('nav-prompts').click();
  await expect(page).toHaveURL(/\/prompts$/);
  // Only the owner's own three: public prompts of other suites would make the count depend on test order.
  await page.goto('/prompts?mine=true');
  const card = byData(page, 'prompt-card', 'name', prompt.name);
  await expect(page.getByTestId('prompt-list')).toHaveAttribute('data-layout', 'grid');
  await expect(page.getByTestId('prompt-card')).toHaveCount(3);
  await expect(card.getByTestId('prompt-visibility')).toHaveText('Private');
  await screenshotBothSchemes(page, 'prompts-library');

  // The owner opens it and wants to share it with a team: there is none yet.
  await card.click();
  await expect(page).toHaveURL(new RegExp(`/prompts/${prompt.id}$`));
  await expect(page.getByTestId('prompt-editor')).toHaveAttribute('data-mode', 'edit');
  await page.getByTestId('prompt-share').click();
  const share = page.getByTestId('share-dialog');
  await share.getByTestId('share-visibility').locator('[data-value="team"]').click();
  await expect(share).toContainText('You are not an editor or owner of any team.');
  await page.keyboard.press('Escape');
  await expect(share).toBeHidden();

  // So they make one on the Teams page…
  await page.getByTestId('nav-teams').click();
  await expect(page).toHaveURL(/\/teams$/);
  await page.getByTestId('team-new').click();
  const teamForm = page.getByTestId('team-form-dialog');
  await teamForm.getByTestId('team-name-input').fill(teamName);
  await teamForm.getByTestId('team-description-input').fill('Everyone who writes teaching prompts.');
  await teamForm.getByTestId('team-create-submit').click();
  await expect(teamForm).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/teams/${UUID.source}$`));
  const teamId = page.url().split('/').pop()!;
  await expect(page.getByTestId('team-title')).toContainText(teamName);
  await expect(page.getByTestId('team-my-role')).toHaveText('Owner');
  await expect(page.getByTestId('member-row')).toHaveCount(1);

  // …and add the second user as a viewer, found by name.
  await page.getByTestId('member-add').click();
  const addDialog = page.getByTestId('member-add-dialog');
  await addDialog.getByTestId('member-search').click();
  await page.keyboard.type(viewer.nickname);
  const option = byData(page, 'member-search-option', 'email', viewer.email);
  await expect(option).toContainText(viewer.nickname);
  await option.click();
  await addDialog.getByTestId('member-role').click();
  await page.getByTestId('member-role-option-viewer').click();
  await addDialog.getByTestId('member-add-submit').click();
  await expect(addDialog).toBeHidden();
  const viewerRow = byData(page, 'member-row', 'email', viewer.email);
  await expect(viewerRow).toHaveAttribute('data-role', 'viewer');
  await expect(viewerRow).toContainText(viewer.nickname);
  await expect(page.getByTestId('member-row')).toHaveCount(2);
  await screenshotBothSchemes(page, 'teams-detail');

  // Back to the prompt, the way they came: the share dialog now offers the new team.
  await page.goBack();
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/prompts/${prompt.id}$`));
  await page.getByTestId('prompt-share').click();
  await share.getByTestId('share-visibility').locator('[data-value="team"]').click();
  await share.getByTestId('share-team').click();
  await page.getByRole('option', { name: teamName, exact: true }).click();
  await share.getByTestId('share-save').click();
  await expect(share).toBeHidden();
  await expect(page.locator('.el-message').filter({ hasText: 'Sharing saved' })).toBeVisible();
  await expect(page.getByTestId('prompt-visibility-badge')).toHaveText(`Team: ${teamName}`);

  // The viewer, in a browser of their own.
  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'en-US' });
  try {
    const other = await context.newPage();
    await signInThroughForm(other, viewer.email, viewer.password);
    await other.getByTestId('nav-teams').click();
    const teamRow = byData(other, 'team-row', 'name', teamName);
    await expect(teamRow.getByTestId('team-row-role')).toHaveText('Viewer');
    await expect(teamRow.getByTestId('team-row-prompts')).toContainText('1');
    await screenshotBothSchemes(other, 'teams-list');

    // The team's prompts, from the team's page: the library filtered to the team, just this one.
    await teamRow.getByTestId('team-row-link').click();
    await expect(other.getByTestId('team-my-role')).toHaveText('Viewer');
    await expect(other.getByTestId('member-add')).toHaveCount(0);
    await other.getByTestId('team-prompts').click();
    await expect(other).toHaveURL(new RegExp(`/prompts\\?team=${teamId}$`));
    await expect(other.getByTestId('prompt-filter-team')).toContainText(teamName);
    await expect(other.getByTestId('prompt-card')).toHaveCount(1);
    // A link that names the filter as the API does (`teamId`) shows the same.
    await other.goto(`/prompts?teamId=${teamId}`);
    await expect(other.getByTestId('prompt-filter-team')).toContainText(teamName);
    await expect(other.getByTestId('prompt-card')).toHaveCount(1);
    const shared = byData(other, 'prompt-card', 'name', prompt.name);
    await expect(shared.getByTestId('prompt-visibility')).toHaveText(`Team: ${teamName}`);
    await expect(shared).toContainText(`by ${owner.nickname}`);

    // Read-only: no saving, no sharing; copying it is the way to change it.
    await shared.click();
    const editor = other.getByTestId('prompt-editor');
    await expect(editor).toHaveAttribute('data-mode', 'readonly');
    await expect(other.getByTestId('prompt-readonly')).toContainText('Read-only');
    await expect(other.getByTestId('prompt-content')).toHaveValue(EXPLAINER);
    await expect(other.getByTestId('prompt-content')).toHaveAttribute('readonly', '');
    await expect(other.getByTestId('prompt-save')).toHaveCount(0);
    await expect(other.getByTestId('prompt-share')).toHaveCount(0);
    await expect(other.getByTestId('prompt-delete')).toHaveCount(0);
    await expect(byData(other, 'variable-chip', 'variable', 'topic')).toBeDisabled();
    await expect(other.getByTestId('prompt-copy')).toHaveText('Copy to my library');
    await other.getByTestId('prompt-copy').click();
    await expect(other).not.toHaveURL(new RegExp(`/prompts/${prompt.id}$`));
    await expect(other).toHaveURL(new RegExp(`/prompts/${UUID.source}$`));
    await expect(editor).toHaveAttribute('data-mode', 'edit');
    await expect(other.getByTestId('prompt-visibility-badge')).toHaveText('Private');
    await expect(other.getByTestId('prompt-content')).toHaveValue(EXPLAINER);
  } finally {
    await context.close();
  }
});

test('a library prompt is used in a chat with its variables filled in', async ({ page }) => {
  test.setTimeout(90_000);
  const owner = await createAccount('prompt-chat');
  const providerId = await createMockProvider(unique('Prompt mock'));
  const [echo] = await createModelConfigs(owner, [{ name: 'Echo', providerId, model: 'mock-echo', isDefault: true }]);
  expect(echo!.isDefault).toBe(true);
  const prompt = await seedPrompt(owner, {
    name: unique('Chat explainer'),
    description: 'Explains a topic to a given audience.',
    content: EXPLAINER,
    category: 'tutoring',
    variables: [
      { name: 'topic', description: 'What to explain' },
      { name: 'audience', default: 'beginners' },
    ],
  });
  // Another prompt, so the search has something to leave out.
  await seedPrompt(owner, { name: unique('Unrelated'), content: 'Be terse.' });

  await signInThroughForm(page, owner.email, owner.password);
  await expect(page.getByTestId('chat-welcome')).toBeVisible();
  await expect(page.getByTestId('chat-model-select')).toContainText('Echo');
  await expect(page.getByTestId('chat-prompt-chip')).toHaveCount(0);

  // The system prompt dialog, from the library: search, pick, fill in.
  await page.getByTestId('chat-system-prompt').click();
  const dialog = page.getByTestId('chat-system-prompt-dialog');
  await dialog.getByTestId('system-prompt-library').click();
  await dialog.getByTestId('library-prompt-search').fill(prompt.name);
  const items = dialog.getByTestId('library-prompt-item');
  await expect(items).toHaveCount(1);
  await expect(items).toHaveAttribute('data-name', prompt.name);
  await expect(dialog.getByTestId('library-prompt-use')).toBeDisabled();
  await items.click();
  await expect(dialog.getByTestId('library-prompt-selected')).toHaveAttribute('data-name', prompt.name);
  const topic = byData(dialog, 'library-variable', 'variable', 'topic');
  const audience = byData(dialog, 'library-variable', 'variable', 'audience');
  await expect(topic).toHaveValue('');
  await expect(audience).toHaveValue('beginners');

  // The topic has no default: Use asks for it first.
  await dialog.getByTestId('library-prompt-use').click();
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Fill in this variable.');
  await topic.fill('black holes');
  await audience.fill('ten-year-olds');
  await expect(dialog.getByTestId('library-prompt-content')).toHaveText(
    'You are an expert on black holes.\nExplain it to ten-year-olds in plain words.',
  );
  await expect(dialog).not.toContainText('Fill in this variable.');
  await screenshotBothSchemes(page, 'prompts-chat-picker');
  await dialog.getByTestId('library-prompt-use').click();
  await expect(dialog).toBeHidden();

  // Picked, not sent yet: the chip says it comes with the next message.
  const chip = page.getByTestId('chat-prompt-chip');
  await expect(chip).toHaveAttribute('data-state', 'pending');
  await expect(chip).toContainText(`System prompt: ${prompt.name} v1`);
  await expect(chip).toContainText('with your next message');

  // Send: the answer streams, and the prompt is now the conversation's system prompt.
  await page.getByTestId('chat-input').fill('What is a black hole?');
  await page.getByTestId('chat-send').click();
  await expect(page).toHaveURL(new RegExp(`/chat/${UUID.source}$`));
  const answer = page.locator('[data-role="assistant"]').last();
  await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 20_000 });
  await expect(answer.getByTestId('message-content')).toHaveText('You said: What is a black hole?');
  await expect(chip).toHaveAttribute('data-state', 'active');
  await expect(chip).toContainText(`System prompt: ${prompt.name} v1`);
  await expect(chip).not.toContainText('with your next message');
  await expect(page.getByTestId('chat-system-prompt')).toHaveAttribute('aria-pressed', 'true');

  // The server rendered it with the values given, and counted the use.
  const sessionId = page.url().split('/').pop()!;
  const session = await getJson<Session>(owner, `/api/chat/sessions/${sessionId}`);
  expect(session.systemPrompt).toBe('You are an expert on black holes.\nExplain it to ten-year-olds in plain words.');
  expect(session.prompt).toMatchObject({ id: prompt.id, name: prompt.name, version: 1 });
  const used = await getJson<Prompt>(owner, `/api/prompts/${prompt.id}`);
  expect(used.usageCount).toBe(1);
  expect(used.lastUsedAt).not.toBeNull();

  // Still there after a reload.
  await page.reload();
  await expect(chip).toHaveAttribute('data-state', 'active');
  await expect(chip).toContainText(`System prompt: ${prompt.name} v1`);
});
