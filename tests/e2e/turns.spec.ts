import type { Locator, Page } from '@playwright/test';
import { composer, expect, test, unique } from './fixtures.js';

/**
 * ui.md §9.3 scenarios 5, 6, 7, 14 and 23: what the room shows while agents take their turns: the thinking of a
 * live bubble, passed turns and the Settled banner, an agent's error with Retry, Stop and Pause, and the agent
 * panel's cards following the turns.
 *
 * A phase that lasts a second or two (thinking, a short reply) can pass between two polls from the test on a loaded
 * machine, so those are recorded in the page as the DOM changes (`recordBubble`, `recordPill`) and checked
 * afterwards; a state the test must act on (click, Stop) is held open by a reply that hangs.
 */

/** A unique token for the fake's script; it goes into the test's messages. */
const tokenOf = (prefix: string) => unique(prefix).replace(' ', '-');

/** The live bubble of `name` (§4.4.4): an article marked busy while the turn streams. */
const liveBubble = (page: Page, name: string) => page.locator('article[aria-busy="true"]').filter({ has: page.getByText(name, { exact: true }) });

/** A finished row (not a live bubble) holding `text`. */
const finishedRow = (page: Page, text: string) => page.locator('article:not([aria-busy="true"])').filter({ hasText: text });

/** The agent panel's card of a member. */
const memberCard = (page: Page, name: string): Locator =>
  page.getByRole('list', { name: 'Members of this room' }).getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) });

async function send(page: Page, text: string): Promise<void> {
  const field = composer(page);
  await field.fill(text);
  await field.press('Enter');
  await expect(finishedRow(page, text)).toBeVisible();
}

async function openRoom(page: Page, roomId: number, name: string): Promise<void> {
  await page.goto(`/rooms/${roomId}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  // Live: the turns below are seen from their start.
  await expect(page.getByRole('button', { name: 'Connection: Live' })).toBeVisible();
}

/** One look at a live bubble: its text, its thinking disclosure, and how many lines the text `needle` takes. */
interface BubbleView {
  text: string;
  disclosure: string | null;
  expanded: string | null;
  needleLines: number | null;
}

/** A gate for a routed request: the test releases it once it has seen what the wait shows. */
function hold(): { promise: Promise<void>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

let recorders = 0;

/**
 * Records, in the page, every distinct look of `name`'s live bubble from now on. Returns a reader of the looks so far.
 */
async function recordBubble(page: Page, name: string, needle: string): Promise<() => Promise<BubbleView[]>> {
  const key = `__bubbleLooks${(recorders += 1)}`;
  await page.getByRole('region', { name: 'Messages' }).evaluate(
    (region, args) => {
      const looks: BubbleView[] = [];
      const seen = new Set<string>();
      const note = () => {
        const bubble = [...region.querySelectorAll('article[aria-busy="true"]')].find((node) => node.getAttribute('aria-label') === args.name);
        if (!bubble) return;
        const button = [...bubble.querySelectorAll('button')].find((node) => /^(Thought for|Thinking$)/.test(node.textContent ?? ''));
        const holders = [...bubble.querySelectorAll<HTMLElement>('*')].filter((node) => node.textContent?.includes(args.needle));
        const leaf = holders.find((node) => ![...node.children].some((child) => child.textContent?.includes(args.needle)));
        const look: BubbleView = {
          text: bubble.textContent ?? '',
          disclosure: button?.textContent ?? null,
          expanded: button?.getAttribute('aria-expanded') ?? null,
          needleLines: leaf ? Math.round(leaf.getBoundingClientRect().height / parseFloat(getComputedStyle(leaf).lineHeight)) : null,
        };
        const id = JSON.stringify(look);
        if (seen.has(id)) return;
        seen.add(id);
        looks.push(look);
      };
      new MutationObserver(note).observe(region, { subtree: true, childList: true, characterData: true, attributes: true });
      (window as unknown as Record<string, BubbleView[]>)[args.key] = looks;
    },
    { name, needle, key },
  );
  return () => page.evaluate((k) => (window as unknown as Record<string, BubbleView[]>)[k] ?? [], key);
}

const STATUSES = ['Idle', 'Thinking…', 'Writing…', 'Passed', 'Error', 'Paused'];

/** Records, in the page, each status a member card's pill shows from now on. Returns a reader of the statuses. */
async function recordPill(card: Locator): Promise<() => Promise<string[]>> {
  const key = `__pillStatuses${(recorders += 1)}`;
  await card.evaluate(
    (node, args) => {
      const statuses: string[] = [];
      const note = () => {
        const now = [...node.querySelectorAll('span')].map((span) => span.textContent ?? '').find((text) => args.known.includes(text)) ?? '';
        if (now !== statuses.at(-1)) statuses.push(now);
      };
      note();
      new MutationObserver(note).observe(node, { subtree: true, childList: true, characterData: true });
      (window as unknown as Record<string, string[]>)[args.key] = statuses;
    },
    { known: STATUSES, key },
  );
  return () => card.page().evaluate((k) => (window as unknown as Record<string, string[]>)[k] ?? [], key);
}

test.describe('scenario 5: thinking', () => {
  // Longer than the ~80-character preview: by "keeper logbook" the start has left the preview.
  const thinking =
    'First I weigh the tide tables against the harbour charts. Then I recall the keeper logbook entries from last winter. ' +
    'Finally the lamp schedule settles it: the answer is seven bells exactly.';
  const answer = 'Seven bells, by the lamp schedule. The tide and the logbook agree on it, every single winter night.';
  const wholeThinking = /^First I weigh the tide tables.*seven bells exactly\.$/;

  test('with showThinking off the live bubble previews one line of thinking, then collapses it to "Thought for N s", which expands', async ({
    page,
    adminApi,
    fake,
  }) => {
    const room = await adminApi.createRoom(unique('Thinking off'));
    await adminApi.addMember(room.id, 'Mira');
    const token = tokenOf('tide');
    // The reply hangs once written, which keeps the bubble live for as long as the test looks at it.
    await fake.script(token, { Mira: [{ thinking, text: answer, chunkSize: 6, delayMs: 60, hang: true }] });
    await openRoom(page, room.id, room.name);
    const looks = await recordBubble(page, 'Mira', 'keeper logbook');

    await send(page, `When do we ring the bell? ${token}`);
    const bubble = liveBubble(page, 'Mira');
    await expect(bubble).toContainText('every single winter night.');
    const seen = await looks();
    const thinkingLooks = seen.filter((look) => look.text.includes('thinking…'));
    const writingLooks = seen.filter((look) => look.text.includes('Seven bells'));

    // While it thinks: one line with the tail of the thinking so far; by the logbook the start has left it.
    expect(thinkingLooks.some((look) => look.needleLines === 1 && !look.text.includes('First I weigh')), JSON.stringify(thinkingLooks)).toBe(true);
    expect(thinkingLooks.filter((look) => look.needleLines !== null && look.needleLines !== 1)).toEqual([]);
    // Once the response streams: collapsed to "Thought for N s", the thinking out of view, from the first look on.
    expect(writingLooks.length).toBeGreaterThan(0);
    for (const look of writingLooks) {
      expect(look.disclosure, look.text).toMatch(/^Thought for \d+ s$/);
      expect(look.expanded).toBe('false');
      expect(look.text).not.toContain('keeper logbook');
    }

    // It can be expanded while the bubble is live: the whole thinking shows.
    const disclosure = bubble.getByRole('button', { name: /^Thought for \d+ s$/ });
    const label = (await disclosure.textContent()) ?? '';
    expect(Number(/(\d+)/.exec(label)?.[1])).toBeGreaterThanOrEqual(1);
    await disclosure.click();
    await expect(disclosure).toHaveAttribute('aria-expanded', 'true');
    await expect(bubble.getByText(wholeThinking)).toBeVisible();

    // Stop ends the turn: the saved reply keeps the disclosure, its time, and the state chosen while it was live.
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    const finished = finishedRow(page, 'every single winter night.');
    await expect(finished).toBeVisible();
    const kept = finished.getByRole('button', { name: label });
    await expect(kept).toHaveAttribute('aria-expanded', 'true');
    await expect(finished.getByText(wholeThinking)).toBeVisible();
    await kept.click();
    await expect(kept).toHaveAttribute('aria-expanded', 'false');
    await expect(finished).not.toContainText('keeper logbook');
  });

  test('with showThinking on (Settings) the live thinking is expanded, and the setting survives a reload', async ({ page, adminApi, fake }) => {
    const room = await adminApi.createRoom(unique('Thinking on'));
    await adminApi.addMember(room.id, 'Mira');
    const token = tokenOf('bells');
    await fake.script(token, { Mira: [{ thinking, text: answer, chunkSize: 6, delayMs: 60 }] });
    await openRoom(page, room.id, room.name);

    const settings = page.getByRole('navigation').getByRole('button', { name: 'Settings' });
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    const toggle = dialog.getByRole('switch', { name: 'Show thinking expanded' });
    await settings.click();
    await expect(toggle).not.toBeChecked();
    await toggle.click();
    await expect(toggle).toBeChecked();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(room.name);
    await settings.click();
    await expect(toggle).toBeChecked();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('button', { name: 'Connection: Live' })).toBeVisible();
    const looks = await recordBubble(page, 'Mira', 'keeper logbook');

    await send(page, `When do we ring the bell? ${token}`);
    const finished = finishedRow(page, 'every single winter night.');
    await expect(finished).toBeVisible();
    const seen = await looks();
    // While it thinks, the thinking is open: its start stays in view as later lines arrive.
    expect(
      seen.some((look) => look.text.includes('thinking…') && look.text.includes('First I weigh') && look.needleLines !== null),
      JSON.stringify(seen),
    ).toBe(true);
    // Once the response streams, it stays open: nothing collapses it with the setting on.
    const writingLooks = seen.filter((look) => look.text.includes('Seven bells'));
    expect(writingLooks.length).toBeGreaterThan(0);
    for (const look of writingLooks) {
      expect(look.disclosure, look.text).toMatch(/^Thought for \d+ s$/);
      expect(look.expanded).toBe('true');
      expect(look.text).toContain('First I weigh');
    }

    // The finished reply shows its thinking open too.
    await expect(finished.getByRole('button', { name: /^Thought for \d+ s$/ })).toHaveAttribute('aria-expanded', 'true');
    await expect(finished.getByText(wholeThinking)).toBeVisible();
  });
});

test('scenario 6: Tobin passes with a quiet line, everyone passing settles the room, and a new message clears Settled', async ({
  page,
  adminApi,
  fake,
}) => {
  const room = await adminApi.createRoom(unique('Passing'));
  await adminApi.addMember(room.id, 'Mira');
  await adminApi.addMember(room.id, 'Tobin');
  const token = tokenOf('pass');
  const miraAnswer = 'The nets are mended and dry.';
  await fake.script(token, { Mira: [{ text: miraAnswer, delayMs: 20 }], Tobin: [{ skip: true }] });
  await openRoom(page, room.id, room.name);
  const settled = page.getByText('The agents have nothing new to say. Send a message to continue.');
  const settledChip = page.locator('header').getByText('Settled', { exact: true });
  await expect(settled).toBeHidden();

  await send(page, `Are the nets ready? ${token}`);
  await expect(finishedRow(page, miraAnswer)).toBeVisible();
  await expect(page.getByText('Tobin passed', { exact: true }).first()).toBeVisible();
  // No bubble of Tobin's: neither a live one nor a finished row.
  await expect(page.locator('article').filter({ has: page.getByText('Tobin', { exact: true }) })).toHaveCount(0);
  // Mira's reply was announced politely; Tobin's pass was not.
  const announcer = page.getByRole('log');
  await expect(announcer).toHaveText(`Mira: ${miraAnswer}`);

  // Then a round where everyone passes (the fake has nothing more): the room settles.
  await expect(settled).toBeVisible();
  await expect(settledChip).toBeVisible();
  // Settled itself proves a round of passes (the server finishes a room only then). How many of the follow-up
  // requests carry the token depends on the shuffled order (a window starts after the agent's own last turn), so
  // only the first round's two are certain.
  expect([...new Set((await fake.requests(token)).map((record) => record.agent))].sort()).toEqual(['Mira', 'Tobin']);
  await expect(page.locator('article').filter({ has: page.getByText('Tobin', { exact: true }) })).toHaveCount(0);
  await expect(announcer).toHaveText(`Mira: ${miraAnswer}`);

  // A new message clears Settled, and it stays away while Mira answers (her reply hangs, so the turn stays open).
  await fake.script(token, { Mira: [{ text: 'One more thing about the nets', delayMs: 20, hang: true }] });
  await send(page, `Anything else? ${token}`);
  await expect(settled).toBeHidden();
  await expect(settledChip).toBeHidden();
  await expect(liveBubble(page, 'Mira')).toContainText('One more thing about the nets');
  await expect(settled).toBeHidden();
  await expect(settledChip).toBeHidden();
  // Ends the hanging turn.
  expect((await adminApi.raw.post(`/api/rooms/${room.id}/pause`)).ok()).toBe(true);
});

test('scenario 7: a fatal error of Mira shows a red notice with Retry, which asks her to respond; the new reply streams in once', async ({
  page,
  adminApi,
  fake,
}) => {
  const room = await adminApi.createRoom(unique('Agent error'));
  await adminApi.addMember(room.id, 'Mira');
  const mira = await adminApi.agent('Mira');
  const token = tokenOf('fail');
  const recovered = 'Sorry about that. The lighthouse log is complete now, every entry checked twice.';
  await fake.script(token, { Mira: [{ error: 'fatal' }, { text: recovered, chunkSize: 8, delayMs: 120 }] });
  await openRoom(page, room.id, room.name);

  await send(page, `Read me the log. ${token}`);
  const notice = page.getByRole('article', { name: 'Notice' }).filter({ hasText: 'Mira could not respond' });
  await expect(notice).toBeVisible();
  const retry = notice.getByRole('button', { name: 'Retry' });
  await expect(retry).toBeVisible();
  // Tinted red: the text's colour, drawn on a canvas to read it as RGB (Chromium reports the tokens as lab()).
  const [r = 0, g = 0, b = 0] = await notice.evaluate((node) => {
    const context = document.createElement('canvas').getContext('2d')!;
    context.fillStyle = getComputedStyle(node).color;
    context.fillRect(0, 0, 1, 1);
    return [...context.getImageData(0, 0, 1, 1).data];
  });
  expect(r, `notice colour rgb(${r}, ${g}, ${b})`).toBeGreaterThan(g + 60);
  expect(r, `notice colour rgb(${r}, ${g}, ${b})`).toBeGreaterThan(b + 60);
  await expect(liveBubble(page, 'Mira')).toHaveCount(0);

  const looks = await recordBubble(page, 'Mira', 'Sorry about that.');
  const respond = page.waitForRequest(
    (request) => request.method() === 'POST' && new URL(request.url()).pathname === `/api/rooms/${room.id}/agents/${mira.id}/respond`,
  );
  await retry.click();
  await respond;

  // The new reply streams in: a live bubble with part of it, then the message.
  await expect(finishedRow(page, recovered)).toBeVisible();
  await expect(liveBubble(page, 'Mira')).toHaveCount(0);
  const partials = (await looks()).filter((look) => look.text.includes('Sorry') && !look.text.includes('checked twice.'));
  expect(partials.length, JSON.stringify(await looks())).toBeGreaterThanOrEqual(1);
  await expect(notice.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  expect((await fake.requests(token)).filter((record) => record.agent === 'Mira')).toHaveLength(2);

  await page.reload();
  await expect(finishedRow(page, recovered)).toBeVisible();
  await expect(finishedRow(page, recovered)).toHaveCount(1);
  await expect(page.getByRole('article', { name: 'Notice' }).filter({ hasText: 'Mira could not respond' })).toHaveCount(1);
  await expect(finishedRow(page, 'Read me the log.')).toHaveCount(1);
  await expect(page.getByRole('article', { name: 'Notice' }).getByRole('button', { name: 'Retry' })).toHaveCount(0);
  const history = await adminApi.messages(room.id);
  expect(history.filter((message) => message.content === recovered)).toHaveLength(1);
});

test('scenario 14: Stop during a hanging reply shows Stopping…, keeps the partial text, pauses the room until Resume', async ({
  page,
  adminApi,
  fake,
}) => {
  const room = await adminApi.createRoom(unique('Stop'));
  await adminApi.addMember(room.id, 'Mira');
  await adminApi.addMember(room.id, 'Tobin');
  const token = tokenOf('hang');
  const partial = 'I was just about to tell you where the';
  // Tobin has answers ready: were the room not paused, he would take a turn.
  const tobin = Array.from({ length: 4 }, (_, i) => ({ text: `Tobin adds point ${i + 1}.`, delayMs: 10 }));
  await fake.script(token, { Mira: [{ text: partial, chunkSize: 4, delayMs: 30, hang: true }], Tobin: tobin });
  await openRoom(page, room.id, room.name);

  await send(page, `Where is the spare key? ${token}`);
  const bubble = liveBubble(page, 'Mira');
  await expect(bubble).toContainText(partial);

  // The pause call is held on its way (a slow network) until the optimistic state has been seen.
  const pauseCall = `**/api/rooms/${room.id}/pause`;
  const held = hold();
  await page.route(pauseCall, async (route) => {
    await held.promise;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(bubble).toContainText('Stopping…');
  await expect(bubble).toContainText(partial);
  held.release();

  // The partial text is kept as a message, and the room is paused.
  await expect(finishedRow(page, partial)).toBeVisible();
  await expect(liveBubble(page, 'Mira')).toHaveCount(0);
  await expect.poll(async () => (await adminApi.messages(room.id)).some((message) => message.content === partial)).toBe(true);
  const banner = page.getByRole('status').filter({ hasText: "Paused: agents won't reply or continue on their own." });
  await expect(banner).toBeVisible();
  await expect(page.locator('header').getByText('Paused', { exact: true })).toBeVisible();
  await expect(page.locator('header').getByRole('button', { name: 'Resume' })).toHaveAttribute('aria-pressed', 'true');

  // No turn starts for 5 s: the fake is asked nothing more, and no live bubble shows. (A bounded wait is what
  // proves an absence.)
  const asked = (await fake.requests(token)).length;
  await page.waitForTimeout(5_000);
  expect((await fake.requests(token)).length).toBe(asked);
  await expect(page.locator('article[aria-busy="true"]')).toHaveCount(0);

  await page.unroute(pauseCall);
  await banner.getByRole('button', { name: 'Resume' }).click();
  await expect(page.locator('header').getByText('Paused', { exact: true })).toBeHidden();
  await expect(banner).toBeHidden();
  await expect(page.locator('header').getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'false');
});

test('scenario 23: the agent panel adds with an optimistic card, follows a turn (Thinking, Writing, Idle, Passed), mentions and removes', async ({
  page,
  adminApi,
  fake,
}) => {
  const room = await adminApi.createRoom(unique('Panel'));
  const token = tokenOf('panel');
  await fake.script(token, {
    Mira: [{ thinking: 'Let me look at the harbour map first, corner by corner.', text: 'The boathouse is east of the pier, past the red buoy.', chunkSize: 4, delayMs: 60 }],
  });
  await openRoom(page, room.id, room.name);
  const panel = page.getByRole('complementary', { name: 'Members' });
  await expect(panel).toBeVisible();
  // The server notes a join only in a room that already has messages.
  await send(page, `Anyone around? ${token}`);

  // Adding: a card at once in its "adding" state (the call is held on its way until the test has seen it), then
  // the server's join notice.
  const memberCall = `**/api/rooms/${room.id}/agents/*`;
  const held = hold();
  await page.route(memberCall, async (route) => {
    if (route.request().method() === 'POST') await held.promise;
    await route.continue();
  });
  await panel.getByRole('button', { name: 'Add Mira', exact: true }).click();
  const card = memberCard(page, 'Mira');
  await expect(card).toContainText('Adding…');
  await expect(card).toHaveAttribute('aria-busy', 'true');
  expect(await adminApi.members(room.id)).toEqual([]);
  held.release();
  await expect(card).toContainText('Idle');
  await expect(card).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByRole('article', { name: 'Notice' }).filter({ hasText: 'Mira joined the chat' })).toBeVisible();
  await page.unroute(memberCall);
  expect(await adminApi.members(room.id)).toEqual(['Mira']);

  // A scripted turn: the pill goes Thinking, Writing, then back to Idle.
  const statuses = await recordPill(card);
  await send(page, `Where is the boathouse? ${token}`);
  await expect(finishedRow(page, 'past the red buoy.')).toBeVisible();
  await expect.poll(statuses).toEqual(['Idle', 'Thinking…', 'Writing…', 'Idle']);

  // A turn where she passes.
  await send(page, `Thanks! ${token}`);
  await expect(page.getByText('Mira passed', { exact: true })).toBeVisible();
  await expect(card.getByText('Passed', { exact: true })).toBeVisible();

  // Mention puts "@Mira " into the composer and focuses it.
  await card.getByRole('button', { name: /^Mention\b/ }).click();
  const field = composer(page);
  await expect(field).toHaveValue('@Mira ');
  await expect(field).toBeFocused();

  // Remove asks first; only confirming removes her.
  await card.getByRole('button', { name: /^Remove\b/ }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Remove agent?' }).or(page.getByRole('dialog', { name: 'Remove agent?' }));
  await expect(confirm).toContainText('Remove Mira from this room? Their past messages stay.');
  expect(await adminApi.members(room.id)).toEqual(['Mira']);
  await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(memberCard(page, 'Mira')).toHaveCount(0);
  await expect.poll(() => adminApi.members(room.id)).toEqual([]);
  // Her past messages stay.
  await expect(finishedRow(page, 'past the red buoy.')).toBeVisible();
});
