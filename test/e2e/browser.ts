import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll } from "vitest";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { ADMIN } from "../helpers/parley.js";

/** Shared browser setup for the e2e tests: one headless Chromium, a fresh profile per test, logging in. */

/**
 * The browser side of an e2e file, for one describe block: one Chromium for the file's tests and a fresh
 * profile per page, every page closed after its test. `baseURL` is read when a page opens, so the file's
 * own beforeAll can start Parley first.
 */
export function useConsole(baseURL: () => string) {
  let browser: Browser | undefined;
  let pages: ConsolePage[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    const open = pages;
    pages = [];
    await Promise.all(open.map((o) => o.context.close()));
  });
  afterAll(async () => {
    await browser?.close();
  });
  const started = (): Browser => {
    if (!browser) throw new Error("useConsole: the browser is not launched yet (open pages inside tests)");
    return browser;
  };
  const kept = (opened: ConsolePage): ConsolePage => {
    pages.push(opened);
    return opened;
  };
  const ui = {
    /** A fresh profile on the console, not logged in: desktop size unless `options` say otherwise. */
    open: async (options?: BrowserContextOptions): Promise<ConsolePage> => kept(await openConsolePage(started(), baseURL(), options)),
    /** A fresh phone-size profile on the console, not logged in. */
    openPhone: async (): Promise<ConsolePage> => kept(await openPhonePage(started(), baseURL())),
    /** A fresh desktop profile, logged in (as ADMIN unless told otherwise) with the live inbox. */
    desktop: async (user: { email: string; password: string } = ADMIN): Promise<Page> => {
      const { page } = await ui.open();
      await logIn(page, user);
      return page;
    },
    /** Page errors and contract warnings of every page this test opened. */
    problems: (): string[] => pages.flatMap((o) => o.problems),
  };
  return ui;
}

/** Launches the headless Chromium the e2e tests drive (CHROMIUM_PATH, or the system one). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

export interface ConsolePage {
  /** The fresh context the page lives in; the caller closes it (after each test). */
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and the console's own contract warnings ("[parley] ..."), for this page. */
  problems: string[];
}

/**
 * A fresh browser profile (no cookies) on the console at `baseURL`, not logged in: desktop size unless
 * `options` say otherwise.
 */
export async function openConsolePage(browser: Browser, baseURL: string, options: BrowserContextOptions = {}): Promise<ConsolePage> {
  const problems: string[] = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options, baseURL });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.text().includes("[parley]")) problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  try {
    await page.goto("/");
  } catch (err) {
    await context.close(); // the caller never gets it to close
    throw err;
  }
  return { context, page, problems };
}

/** Fills in the login form, as a person would, and submits it. */
export async function submitLogIn(page: Page, user: { email: string; password: string } = ADMIN): Promise<void> {
  await page.getByTestId("login-email").fill(user.email);
  await page.getByTestId("login-password").fill(user.password);
  await page.getByTestId("login-submit").click();
}

/** Waits until the console is connected for live updates and the first page of the list has loaded. */
export async function waitForLiveInbox(page: Page): Promise<void> {
  await page.getByTestId("connection-state").filter({ hasText: "Live" }).waitFor();
  await page.locator('#conversation-list[aria-busy="false"]').waitFor();
}

/** Logs in through the form (as ADMIN unless told otherwise) and waits for the live inbox. */
export async function logIn(page: Page, user: { email: string; password: string } = ADMIN): Promise<void> {
  await submitLogIn(page, user);
  await waitForLiveInbox(page);
}

/** A fresh profile at phone size (390×844, touch), not logged in. */
export function openPhonePage(browser: Browser, baseURL: string): Promise<ConsolePage> {
  return openConsolePage(browser, baseURL, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core in the page and answers its serious and critical violations, one line each
 * ("rule: target"), so a failing test says what to fix.
 */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the console's CSP (rightly) refuses inline scripts.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as any).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return (result.violations as any[])
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .flatMap((v) => (v.nodes as any[]).slice(0, 3).map((n) => `${v.id}: ${n.target.join(" ")} — ${n.failureSummary?.split("\n")[1]?.trim() ?? v.help}`));
  });
  return violations;
}

/**
 * Where a test saves the picture <name>.png: docs/screenshots/ (shown in docs/console.md) with
 * UPDATE_SCREENSHOTS=1, else a folder under the system's temporary directory, so that a test run
 * leaves the working tree as it found it (every run renders the pictures a little differently).
 */
export function screenshotPath(name: string): string {
  if (process.env.UPDATE_SCREENSHOTS === "1") return fileURLToPath(new URL(`../../docs/screenshots/${name}.png`, import.meta.url));
  const dir = path.join(tmpdir(), "parley-screenshots");
  mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}

/** Whether the page scrolls sideways (it must not, at any width). */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}
