-- Practice sandbox runs: one learner working through one scenario of one procedure.
-- The same change lives in migrations/postgres/ under the same name.

CREATE TABLE practice_runs (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id         BIGINT NOT NULL REFERENCES accounts (id),
    procedure_id       TEXT NOT NULL,
    procedure_version  BIGINT NOT NULL,
    scenario_id        TEXT NOT NULL,
    mode               TEXT NOT NULL CHECK (mode IN ('guided', 'exam')),
    status             TEXT NOT NULL CHECK (status IN ('active', 'submitted', 'abandoned')),
    step               TEXT NOT NULL,          -- the step the learner is on
    inputs             TEXT NOT NULL,          -- JSON: every step's inputs so far
    hints_used         BIGINT NOT NULL DEFAULT 0,
    revision           BIGINT NOT NULL DEFAULT 0,  -- bumped by every save: concurrent saves lose, not overwrite
    started_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    submitted_at       BIGINT,
    seconds            BIGINT,
    points             BIGINT,
    max_points         BIGINT,
    percent            BIGINT,
    passed             BIGINT CHECK (passed IN (0, 1)),
    findings           TEXT                    -- JSON: the score breakdown
);

-- At most one unfinished run per learner and scenario: starting again resumes it.
CREATE UNIQUE INDEX practice_runs_one_active
    ON practice_runs (account_id, procedure_id, scenario_id) WHERE status = 'active';
CREATE INDEX practice_runs_account ON practice_runs (account_id, procedure_id);
