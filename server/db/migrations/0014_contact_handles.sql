-- Contact avatars and platform handles (issue 8): the public handle a platform gives per identity
-- (`@name` on X, Telegram and Instagram, `+<number>` on WhatsApp), so two customers with the same
-- display name can be told apart. contacts.avatar_url already exists and is now filled at ingest.
ALTER TABLE "contact_identities" ADD COLUMN IF NOT EXISTS "handle" text;
