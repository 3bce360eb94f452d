import { z } from "zod";

/**
 * Stable machine-readable error codes of API answers (`{error, code, issues?}`), with the words the
 * console shows for each. `error` keeps the specific detail (which field, the platform's reason);
 * `code` never changes meaning once released. Add a code here when a client must tell a case apart.
 */
export const errorCodes = {
  // generic
  unauthenticated: "Your session has ended. Please log in again.",
  forbidden: "You do not have permission to do that.",
  not_found: "That no longer exists, or you cannot see it.",
  validation_failed: "Some fields are not valid. Check them and try again.",
  invalid_json: "The request was not valid JSON.",
  payload_too_large: "That is too large to send.",
  unsupported_media_type: "That format is not supported.",
  conflict: "That cannot be done in the current state.",
  rate_limited: "Too many attempts. Please wait a moment and try again.",
  upstream_error: "The platform refused or failed the request.",
  starting: "Parley is starting. Try again in a moment.",
  cross_site: "The request came from another site and was refused.",
  internal: "The server had a problem. Please try again.",
  // auth and users
  login_failed: "Wrong email or password.",
  email_taken: "A user with this email already exists.",
  own_admin_role: "You cannot remove your own admin role.",
  own_account: "You cannot do that to your own account.",
  invalid_token: "This link is invalid, was already used, or has expired. Ask an admin for a new one.",
  wrong_password: "The current password is not right.",
  user_inactive: "This person is deactivated.",
  unknown_mention: "Someone you mentioned is not an active member of this workspace.",
  // conversations and replies
  invalid_cursor: "The list position is no longer valid. Reload the list.",
  unknown_assignee: "That person is not in this workspace.",
  reply_not_allowed: "This reply cannot be sent on this platform now.",
  reply_window_closed: "The platform's reply window has closed.",
  private_reply_used: "A private reply was already sent for this comment: platforms allow only one.",
  text_too_long: "The message is longer than this platform allows.",
  unknown_template: "That template does not exist on this channel.",
  contact_blocked: "This customer can no longer be messaged on this platform.",
  moderation_not_allowed: "This platform does not allow that on this message.",
  // attachments
  attachments_not_allowed: "Files cannot be sent in this conversation.",
  attachment_too_large: "The file is larger than this platform accepts.",
  attachment_type_not_allowed: "This platform does not accept this kind of file.",
  too_many_attachments: "Too many files for one message on this platform.",
  unknown_attachment: "That file is no longer available. Upload it again.",
  attachment_not_ready: "The file is still being fetched from the platform. Try again in a moment.",
  attachment_unavailable: "The platform did not let Parley fetch this file.",
  // channels and reports
  account_taken: "This platform account is already connected to another channel.",
  platform_unavailable: "This platform is not available in this build.",
  invalid_config: "The channel settings are not valid.",
  invalid_range: "The start of the period must be before its end.",
  // teams, availability and SLAs
  unknown_team: "That team does not exist in this workspace.",
  unknown_user: "That person is not in this workspace.",
  unknown_channel: "That channel does not exist in this workspace.",
  channel_in_other_team: "That channel already belongs to another team: remove it there first.",
  team_name_taken: "A team with this name already exists.",
  invalid_time_zone: "That time zone is not known.",
  // hardening
  target_not_allowed: "That address is on a private or local network, which Parley does not call.",
  nul_character: "The request contains a NUL character, which cannot be stored.",
  json_too_deep: "The request's JSON is nested too deeply.",
  unavailable: "Parley cannot reach its database right now. Try again in a moment.",
  // bots and knowledge
  article_id_taken: "Another knowledge article already has this id.",
  not_a_bot_message: "Only a bot's answer can be marked wrong.",
  // canned replies and contacts
  shortcut_taken: "Another saved reply already uses this shortcut.",
  merge_same_contact: "A contact cannot be merged with itself.",
  // labels, snooze and search
  unknown_label: "That label does not exist. An admin can create it under Labels.",
  label_name_taken: "A label with this name already exists.",
  snooze_in_past: "Choose a time in the future to snooze until.",
} as const;

export type ErrorCode = keyof typeof errorCodes;
export const ErrorCode = z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]);

/** The friendly words for a code; unknown codes (a newer server) fall back to the server's text. */
export function friendlyError(code: string | undefined, fallback: string): string {
  return code && code in errorCodes ? errorCodes[code as ErrorCode] : fallback;
}
