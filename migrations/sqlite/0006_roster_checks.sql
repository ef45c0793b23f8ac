-- A roster upload keeps what its check found (JSON: the rows' problems and the writes an
-- import would make), read and checked once at upload; the preview shows it and the import
-- writes it. Uploads kept before this change have none and are checked once when next opened.
ALTER TABLE roster_uploads ADD COLUMN checked TEXT;
