import { Fragment } from "react";
import type { z } from "zod";
import type { CreatedChannel } from "../../../../shared/schemas/index.js";
import { fieldLabel } from "../../social/config-fields";
import { CopyButton } from "./copy-button";
import { SetupStepsList } from "./setup-steps";

type Created = z.infer<typeof CreatedChannel>;

/** The API channel's secret comes back as config.secret when the admin typed none (older servers). */
function generatedSecrets(c: Created): Array<[string, string]> {
  const generated = { ...(c.generated ?? {}) };
  const secret = (c.config as Record<string, unknown>).secret;
  if (c.platform === "api" && !generated.secret && typeof secret === "string") generated.secret = secret;
  return Object.entries(generated);
}

/** Shown once after connecting: where the platform must send events, and secrets Parley made. */
export function CreatedChannelBox({ channel: c, onDismiss }: { channel: Created; onDismiss: () => void }) {
  const secrets = generatedSecrets(c);
  return (
    <div className="secret-box" role="status" data-testid="channel-secret-box">
      <p>
        <strong>Channel “{c.name}” connected.</strong> Finish the setup on the platform with the details below.
      </p>
      <dl className="facts">
        <dt>Webhook URL</dt>
        <dd>
          <code data-testid="created-webhook-url">{c.webhookUrl}</code> <CopyButton text={c.webhookUrl} />
        </dd>
        {c.setup?.verifyToken && (
          <>
            <dt>Verify token</dt>
            <dd>
              <code data-testid="created-verify-token">{c.setup.verifyToken}</code> <CopyButton text={c.setup.verifyToken} />
            </dd>
          </>
        )}
        {secrets.map(([name, value]) => (
          <Fragment key={name}>
            <dt>{fieldLabel(name)}</dt>
            <dd>
              <code data-testid={name === "secret" ? "channel-secret" : `created-secret-${name}`}>{value}</code> <CopyButton text={value} />
            </dd>
          </Fragment>
        ))}
      </dl>
      {secrets.length > 0 && (
        <p className="warning">
          Copy {secrets.length === 1 ? "this secret" : "these secrets"} now — {secrets.length === 1 ? "it" : "they"} will not be shown again.
        </p>
      )}
      {c.setup?.steps?.length ? (
        <>
          <h4>Setup steps</h4>
          <SetupStepsList steps={c.setup.steps} />
        </>
      ) : null}
      <button type="button" onClick={onDismiss} data-testid="created-dismiss">
        {secrets.length > 0 ? "I have copied it" : "Done"}
      </button>
    </div>
  );
}
