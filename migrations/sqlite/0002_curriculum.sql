-- Curriculum records: lessons read and quiz attempts (the evidence competency tracking reads).
-- The same change lives in migrations/postgres/ under the same name.

CREATE TABLE lesson_progress (
    account_id     BIGINT NOT NULL REFERENCES accounts (id),
    module_id      TEXT NOT NULL,
    lesson_id      TEXT NOT NULL,
    lesson_version BIGINT NOT NULL,
    completed_at   BIGINT NOT NULL,
    PRIMARY KEY (account_id, lesson_id)
);

CREATE INDEX lesson_progress_module ON lesson_progress (account_id, module_id);

CREATE TABLE quiz_attempts (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id        BIGINT NOT NULL REFERENCES accounts (id),
    module_id         TEXT NOT NULL,
    module_version    BIGINT NOT NULL,
    quiz_id           TEXT NOT NULL,
    quiz_version      BIGINT NOT NULL,
    answers           TEXT NOT NULL,   -- JSON: one answer per question, in quiz order
    points            BIGINT NOT NULL,
    total             BIGINT NOT NULL,
    percent           BIGINT NOT NULL,
    passed            BIGINT NOT NULL CHECK (passed IN (0, 1)),
    started_at        BIGINT NOT NULL,
    submitted_at      BIGINT NOT NULL,
    duration_seconds  BIGINT NOT NULL
);

CREATE INDEX quiz_attempts_account ON quiz_attempts (account_id, module_id);
