-- The audit log: every privileged act, appended in the same transaction as the act. Who (the
-- account and its name at the time, or the command line), from where (the client's address),
-- what (an action key and the object it names, with its unit), and the values before and after
-- (JSON). Nothing updates or deletes a row: the triggers below refuse it.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          BIGINT NOT NULL,
    actor_id    BIGINT,                -- no foreign key: the log outlives what it names
    actor_name  TEXT NOT NULL,
    address     TEXT,
    action      TEXT NOT NULL,
    object      TEXT NOT NULL,
    unit_code   TEXT,
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE INDEX audit_log_unit ON audit_log (unit_code, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
