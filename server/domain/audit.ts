import type { Executor } from "../db/client.js";
import { auditLog } from "../db/schema.js";
import type { Scope } from "./scope.js";

/** Who changed what; never put secrets in data. */
export async function recordAudit(
  tx: Executor,
  scope: Pick<Scope, "workspaceId" | "userId">,
  action: string,
  targetType: string,
  targetId: string | null,
  data: Record<string, unknown> = {},
): Promise<void> {
  await tx.insert(auditLog).values({ workspaceId: scope.workspaceId, actorUserId: scope.userId, action, targetType, targetId, data });
}
