-- Competency tracking: the evidence ledger, verified and self-assessed levels, each learner's
-- standing against their position's standard, per-unit counts, and mandatory assignments.
-- The same change lives in migrations/postgres/ under the same name.

-- One row per competence a scored quiz attempt or exam-mode practice run evidences. Written in
-- the same transaction as the attempt or run; never updated.
CREATE TABLE evidence (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    competence      TEXT NOT NULL,
    level           BIGINT NOT NULL CHECK (level BETWEEN 1 AND 8),
    source_kind     TEXT NOT NULL CHECK (source_kind IN ('quiz', 'practice')),
    source_id       TEXT NOT NULL,      -- module id (quiz) or procedure id (practice)
    source_version  BIGINT NOT NULL,    -- quiz or procedure version it was earned on
    percent         BIGINT NOT NULL,
    earned_at       BIGINT NOT NULL,
    record_id       BIGINT NOT NULL     -- quiz_attempts.id or practice_runs.id
);

CREATE INDEX evidence_account ON evidence (account_id, competence);

-- Each learner's verified levels, recomputed from their own evidence when a piece arrives.
CREATE TABLE verified_levels (
    account_id   BIGINT NOT NULL REFERENCES accounts (id),
    competence   TEXT NOT NULL,
    level        BIGINT NOT NULL CHECK (level BETWEEN 1 AND 8),
    valid_until  BIGINT NOT NULL,        -- when the level drops unless new evidence arrives
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (account_id, competence)
);

-- The baseline skills survey: what learners say of themselves. Never raises a verified level.
CREATE TABLE self_assessments (
    account_id   BIGINT NOT NULL REFERENCES accounts (id),
    competence   TEXT NOT NULL,
    level        BIGINT NOT NULL CHECK (level BETWEEN 0 AND 8),
    assessed_at  BIGINT NOT NULL,
    PRIMARY KEY (account_id, competence)
);

-- Each learner's standing against the standard of their position (as of updated_at).
CREATE TABLE standings (
    account_id    BIGINT PRIMARY KEY REFERENCES accounts (id),
    unit_code     TEXT NOT NULL REFERENCES units (code),
    cohort        TEXT NOT NULL,
    position_id   TEXT NOT NULL,
    met           BIGINT NOT NULL,      -- required competences met
    required      BIGINT NOT NULL,      -- required competences
    meets         BIGINT NOT NULL CHECK (meets IN (0, 1)),
    leader_ready  BIGINT NOT NULL CHECK (leader_ready IN (0, 1)),  -- meets a leadership standard
    meets_since   BIGINT,               -- when the standard was last reached
    review_at     BIGINT,               -- when a verified level may drop: recompute then
    evidence_seen BIGINT NOT NULL,      -- the newest evidence id this standing was computed from
    updated_at    BIGINT NOT NULL
);

CREATE INDEX standings_unit ON standings (unit_code, cohort);
CREATE INDEX standings_review ON standings (review_at);

-- Learners meeting their standard, per unit and cohort: moved by each standing change.
CREATE TABLE unit_counts (
    unit_code  TEXT NOT NULL REFERENCES units (code),
    cohort     TEXT NOT NULL,
    meeting    BIGINT NOT NULL,
    PRIMARY KEY (unit_code, cohort)
);

-- Mandatory modules a unit's staff must pass by a date (for staff whose position lists it).
CREATE TABLE assignments (
    unit_code    TEXT NOT NULL REFERENCES units (code),
    module_id    TEXT NOT NULL,
    due_on       BIGINT NOT NULL,       -- the last day, as Unix seconds at 00:00 UTC
    assigned_by  BIGINT NOT NULL REFERENCES accounts (id),
    assigned_at  BIGINT NOT NULL,
    PRIMARY KEY (unit_code, module_id)
);

-- The content the stored levels were computed with: a change recomputes them at start-up.
CREATE TABLE competency_meta (
    id           BIGINT PRIMARY KEY CHECK (id = 1),
    fingerprint  TEXT NOT NULL
);
