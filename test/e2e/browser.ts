import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { ADMIN } from "../helpers/parley.js";

/** Shared browser setup for the e2e tests: one headless Chromium, a fresh profile per test, logging in. */

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

/** A fresh browser profile (no cookies) on the console at `baseURL`, not logged in. */
export async function openConsolePage(browser: Browser, baseURL: string): Promise<ConsolePage> {
  const problems: string[] = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL });
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
