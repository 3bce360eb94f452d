-- A contact's identities by contact (merging contacts, a contact's channels, the ON DELETE CASCADE from contacts).
CREATE INDEX IF NOT EXISTS "contact_identities_contact_channel_idx" ON "contact_identities" USING btree ("contact_id","channel_id");
