import { signBody } from "./domain/crypto.js";

/** Customer messages that show the bot answering, handing off, and a person's queue. */
export const demoScript: Array<{ contact: string; name: string; text: string }> = [
  { contact: "ana", name: "Ana Souza", text: "Hi! What are your opening hours?" },
  { contact: "ben", name: "Ben Okafor", text: "My parcel arrived damaged. Can I talk to a person please?" },
  { contact: "chloe", name: "Chloé Martin", text: "Do you ship to Canada?" },
  { contact: "dev", name: "Dev Patel", text: "The discount code SPRING24 does not work at checkout" },
  { contact: "ana", name: "Ana Souza", text: "Thanks! And where is my order #1042?" },
  { contact: "emma", name: "Emma Schmidt", text: "I was charged twice for order #1077, I need an agent" },
  { contact: "dev", name: "Dev Patel", text: "I tried it again in another browser, same problem" },
  { contact: "farid", name: "Farid Haddad", text: "Is the blue jacket coming back in size M?" },
];

/** Posts signed demo events to a running Parley's API channel webhook, like a source system would. */
export async function sendDemoEvents(
  opts: { baseUrl: string; channelId: string; secret: string; count?: number; delayMs?: number; runId?: string },
  onSent: (line: string) => void = () => {},
): Promise<void> {
  const runId = opts.runId ?? Date.now().toString(36);
  const count = opts.count ?? demoScript.length;
  for (let i = 0; i < count; i++) {
    const step = demoScript[i % demoScript.length]!;
    const round = Math.floor(i / demoScript.length);
    const contact = round === 0 ? step.contact : `${step.contact}-${round}`;
    const body = JSON.stringify({
      eventId: `demo-${runId}-${i}`,
      contact: { externalId: `${contact}-${runId}`, name: round === 0 ? step.name : `${step.name} (${round + 1})` },
      message: { externalId: `demo-msg-${runId}-${i}`, text: step.text },
    });
    const res = await fetch(`${opts.baseUrl}/webhooks/api/${opts.channelId}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-parley-signature": signBody(opts.secret, body) },
      body,
    });
    onSent(`${res.status} ${step.name}: ${step.text}`);
    if (!res.ok) throw new Error(`Parley answered ${res.status}: ${await res.text()}`);
    if (opts.delayMs && i < count - 1) await new Promise((r) => setTimeout(r, opts.delayMs));
  }
}
