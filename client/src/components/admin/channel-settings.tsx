import { Fragment } from "react";
import type { Channel } from "../../../../shared/schemas/index.js";
import { apiChannelFields } from "../../channel-fields";
import { fieldLabel } from "../../social/config-fields";
import { CopyButton } from "./copy-button";

function display(value: unknown) {
  if (typeof value === "boolean") return value ? "on" : "off";
  if (Array.isArray(value)) return `${value.length} ${value.length === 1 ? "template" : "templates"}: ${value.map((t) => (t as { name?: string })?.name ?? "?").join(", ")}`;
  if (value === null || value === undefined || value === "") return <span className="muted">none</span>;
  return <code>{typeof value === "string" ? value : JSON.stringify(value)}</code>;
}

/** The channel's non-secret settings and which credentials are stored, as dt/dd pairs. */
export function ChannelSettings({ channel: c }: { channel: Channel }) {
  if (c.platform === "api") {
    const fields = apiChannelFields(c);
    return (
      <>
        <dt>Callback URL</dt>
        <dd data-testid="channel-callback">{fields.callbackUrl ? <code>{fields.callbackUrl}</code> : <span className="muted">none</span>}</dd>
        <dt>Signing secret</dt>
        <dd>{fields.hasSecret ? "set" : <span className="muted">none</span>}</dd>
      </>
    );
  }
  const settings = Object.entries(c.config).filter(([k]) => k !== "verifyToken");
  return (
    <>
      {c.accountId && !settings.some(([, v]) => v === c.accountId) && (
        <>
          <dt>Account</dt>
          <dd>
            <code data-testid="channel-account">{c.accountId}</code>
          </dd>
        </>
      )}
      {settings.map(([k, v]) => (
        <Fragment key={k}>
          <dt>{fieldLabel(k)}</dt>
          <dd data-testid={`channel-setting-${k}`}>{display(v)}</dd>
        </Fragment>
      ))}
      {c.setup.verifyToken && (
        <>
          <dt>Verify token</dt>
          <dd>
            <code data-testid="channel-verify-token">{c.setup.verifyToken}</code> <CopyButton text={c.setup.verifyToken} />
          </dd>
        </>
      )}
      <dt>Credentials</dt>
      <dd data-testid="channel-secrets">
        {c.secrets.length ? `${c.secrets.map(fieldLabel).join(", ")} (stored encrypted)` : <span className="muted">none</span>}
      </dd>
    </>
  );
}
