import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { Message } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { useConversation, usePatchConversation, useTimeline } from "../../hooks/queries";
import { useShortcuts } from "../../hooks/use-shortcuts";
import { focusComposer } from "../../inbox/composer-store";
import { applyConversation } from "../../live/live-sync";
import { useJoinConversation, usePresence } from "../../live/presence";
import { keys } from "../../query-client";
import { useSession } from "../../session";
import { platformLabel } from "../../social/platforms";
import { ErrorMessage } from "../error-message";
import { Composer } from "./composer";
import { ContactPanel } from "./contact-panel";
import { ConversationHeader, type ConversationPatch, type MenuName } from "./conversation-header";
import { HandoffBanner } from "./handoff-banner";
import { KnowledgeSearch } from "./knowledge-search";
import type { TimelineContext } from "./message-item";
import { MessageTimeline } from "./message-timeline";
import { PresenceBar } from "./presence-bar";

/** The stars of the review itself: the first customer message that carries a rating. */
function reviewRating(messages: Message[]): number | null {
  return messages.find((m) => m.author === "customer" && m.rating != null)?.rating ?? null;
}

const wide = () => typeof window !== "undefined" && window.matchMedia?.("(min-width: 1280px)").matches;

/** `showContact`: open with the contact panel shown (a contact picked in search), at any width. */
export function ConversationPane({ id, showContact = false }: { id: string; showContact?: boolean }) {
  const { user } = useSession();
  const qc = useQueryClient();
  const detail = useConversation(id);
  const timeline = useTimeline(id);
  const patchConversation = usePatchConversation();
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [menu, setMenu] = useState<MenuName>(null);
  const [contactOpen, setContactOpen] = useState(() => showContact || wide());
  useJoinConversation(id);
  const presence = usePresence(id, user.id);
  const conversation = detail.data;
  const reloadDetail = () => void qc.invalidateQueries({ queryKey: keys.conversation(id) });

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setActionError(null);
    try {
      await action();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  }
  const patch = (body: ConversationPatch) => void run(() => patchConversation(id, body));
  const setLabels = (labels: string[]) =>
    void run(async () => {
      const res = await api.setLabels(id, labels);
      applyConversation(qc, res.conversation);
    });

  useShortcuts({
    r: () => focusComposer(id, "reply"),
    n: () => focusComposer(id, "note"),
    e: () => conversation && patch({ status: conversation.status === "resolved" ? "open" : "resolved" }),
    a: () => setMenu("assign"),
    s: () => conversation && conversation.status !== "resolved" && conversation.status !== "snoozed" && setMenu("snooze"),
    l: () => setMenu("labels"),
  });

  const ctx = useMemo<TimelineContext | null>(
    () =>
      conversation
        ? {
            conversationId: conversation.id,
            kind: conversation.kind,
            platformName: platformLabel(conversation.platform),
            contactName: conversation.contact.name,
            moderation: conversation.replyOptions.moderation,
            onModerated: () => undefined,
            // A refusal may have changed the channel (needs reconnect): show it.
            onModerationFailed: () => void qc.invalidateQueries({ queryKey: keys.conversation(id) }),
          }
        : null,
    [conversation, qc, id],
  );

  if (!conversation || !ctx) {
    return (
      <div className="pane-placeholder">
        {detail.isLoading ? (
          <p className="muted">Loading conversation…</p>
        ) : (
          <>
            <ErrorMessage error={detail.error} />
            <button type="button" onClick={() => void detail.refetch()}>
              Retry
            </button>
          </>
        )}
      </div>
    );
  }

  return (
    <div className={`conversation-layout${contactOpen ? " with-contact" : ""}`}>
      <div className="conversation-pane" data-testid="conversation-pane" data-kind={conversation.kind} data-platform={conversation.platform}>
        <ConversationHeader
          conversation={conversation}
          meId={user.id}
          meName={user.name}
          busy={busy}
          fallbackRating={conversation.kind === "review" ? reviewRating(timeline.messages) : null}
          onPatch={patch}
          onLabels={setLabels}
          menu={menu}
          onMenu={setMenu}
          contactOpen={contactOpen}
          onToggleContact={() => setContactOpen((o) => !o)}
        />
        <PresenceBar viewers={presence.viewers} typing={presence.typing} />
        {conversation.channelStatus === "needs_reconnect" && (
          <div className="reconnect-banner" role="alert" data-testid="channel-reconnect-banner">
            <strong>The {conversation.channelName} channel needs reconnecting.</strong>{" "}
            {conversation.channelStatusReason ?? `${platformLabel(conversation.platform)} refused Parley's credentials.`} Replies and moderation will fail until
            an admin enters new credentials on the Admin page.
          </div>
        )}
        <HandoffBanner conversation={conversation} busy={busy} onHandBack={() => patch({ owner: "bot" })} />
        <ErrorMessage error={actionError ?? timeline.error} className="pane-error" />
        <MessageTimeline
          messages={timeline.messages}
          ctx={ctx}
          hasOlder={Boolean(timeline.hasNextPage)}
          loadingOlder={timeline.isFetchingNextPage}
          loading={timeline.isLoading}
          onLoadOlder={() => void timeline.fetchNextPage()}
        />
        <KnowledgeSearch key={`kb-${id}`} conversationId={id} channelId={conversation.channelId} />
        <Composer key={id} conversation={conversation} typingOthers={presence.typing} onStale={reloadDetail} />
      </div>
      {contactOpen && <ContactPanel conversation={conversation} onClose={() => setContactOpen(false)} />}
    </div>
  );
}
