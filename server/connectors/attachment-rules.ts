import { audioTypes, documentTypes, imageTypes, MB, uploadTypes, videoTypes } from "../media/media-types.js";
import type { AttachmentRules } from "./types.js";

/** No platform rule goes above what Parley keeps by default (ATTACHMENT_MAX_BYTES). */
const CAP = 25 * MB;
const cap = (bytes: number) => Math.min(bytes, CAP);

/** The files each platform takes on a reply, from its documentation; the one table ReplyOptions reads. */
export const attachmentRules = {
  /** Messenger Send API: one file per message, 25 MB; Parley sends the text and each file as its own message. */
  messenger: {
    rules: [
      { accept: ["image/jpeg", "image/png", "image/gif"], maxBytes: cap(25 * MB), label: "JPEG, PNG or GIF images" },
      { accept: ["video/mp4"], maxBytes: cap(25 * MB), label: "MP4 videos" },
      { accept: ["audio/mpeg", "audio/mp4", "audio/aac"], maxBytes: cap(25 * MB), label: "MP3, M4A or AAC audio" },
      { accept: documentTypes, maxBytes: cap(25 * MB), label: "documents (PDF, Office, text, ZIP)" },
    ],
    maxCount: 5,
  },
  /** A Page comment carries one photo (attachment_url). */
  facebookComment: { rules: [{ accept: ["image/jpeg", "image/png", "image/gif"], maxBytes: cap(10 * MB), label: "JPEG, PNG or GIF images" }], maxCount: 1 },
  /** Instagram messaging by URL: images 8 MB; video and audio 25 MB; no documents. */
  instagram: {
    rules: [
      { accept: ["image/jpeg", "image/png", "image/gif"], maxBytes: cap(8 * MB), label: "JPEG, PNG or GIF images" },
      { accept: ["video/mp4", "video/quicktime", "video/webm"], maxBytes: cap(25 * MB), label: "MP4, MOV or WebM videos" },
      { accept: ["audio/aac", "audio/mp4", "audio/wav"], maxBytes: cap(25 * MB), label: "AAC, M4A or WAV audio" },
    ],
    maxCount: 5,
  },
  /** WhatsApp Cloud API media: images 5 MB, video and audio 16 MB, documents 100 MB. */
  whatsapp: {
    rules: [
      { accept: ["image/jpeg", "image/png"], maxBytes: cap(5 * MB), label: "JPEG or PNG images" },
      { accept: ["video/mp4", "video/3gpp"], maxBytes: cap(16 * MB), label: "MP4 or 3GP videos" },
      { accept: ["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"], maxBytes: cap(16 * MB), label: "AAC, AMR, MP3, M4A or OGG audio" },
      { accept: documentTypes, maxBytes: cap(100 * MB), label: "documents (PDF, Office, text, ZIP)" },
    ],
    maxCount: 5,
  },
  /** Telegram Bot API uploads: photos 10 MB, other files 50 MB. */
  telegram: {
    rules: [
      { accept: imageTypes, maxBytes: cap(10 * MB), label: "images" },
      { accept: [...videoTypes, ...audioTypes, ...documentTypes], maxBytes: cap(50 * MB), label: "videos, audio and documents" },
    ],
    maxCount: 10,
  },
  /** The API channel passes signed links to the receiver: anything Parley accepts as an upload. */
  api: { rules: [{ accept: uploadTypes, maxBytes: CAP, label: "images, video, audio and documents" }], maxCount: 10 },
} satisfies Record<string, AttachmentRules>;
