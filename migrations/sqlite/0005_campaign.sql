-- The 45-day campaign: provinces, roster fields on accounts, campaigns with their targets and
-- the figures entered from outside hocso, volunteer deployments, assisted sessions and the
-- households they reach, and the rollups the dashboards read.
-- The same change lives in migrations/postgres/ under the same name.

CREATE TABLE provinces (
    code  TEXT PRIMARY KEY,   -- national statistics office code, '01' is Hà Nội
    name  TEXT NOT NULL
);
INSERT INTO provinces (code, name) VALUES ('01', 'Thành phố Hà Nội');

-- Roster import: the employee (officials) or volunteer code a roster row is matched on, and a
-- volunteer's university. Accounts created by an import have no password until activated.
ALTER TABLE accounts ADD COLUMN roster_code TEXT;
ALTER TABLE accounts ADD COLUMN university TEXT;
CREATE UNIQUE INDEX accounts_roster_code ON accounts (cohort, roster_code);

-- A one-time code with which a person on an imported roster sets their first password,
-- handed to them by their unit's manager or an organizer. Only its hash is kept.
CREATE TABLE activation_codes (
    account_id  BIGINT PRIMARY KEY REFERENCES accounts (id),
    code_hash   TEXT NOT NULL,
    issued_by   BIGINT NOT NULL REFERENCES accounts (id),
    expires_at  BIGINT NOT NULL
);

-- Whether the learner ever passed a quiz or an exam run ("trained"); moved into the rollups
-- with `meets`.
ALTER TABLE standings ADD COLUMN trained BIGINT NOT NULL DEFAULT 0 CHECK (trained IN (0, 1));

CREATE TABLE campaigns (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    province_code  TEXT NOT NULL REFERENCES provinces (code),
    name           TEXT NOT NULL,
    starts_on      BIGINT NOT NULL,     -- the first day, as Unix seconds at 00:00 UTC
    days           BIGINT NOT NULL CHECK (days BETWEEN 1 AND 366),
    created_by     BIGINT REFERENCES accounts (id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX campaigns_province ON campaigns (province_code, starts_on);

-- Targets: city-wide (scope 'city') or for one unit (scope = its code).
CREATE TABLE campaign_targets (
    campaign_id  BIGINT NOT NULL REFERENCES campaigns (id),
    scope        TEXT NOT NULL,
    metric       TEXT NOT NULL,
    target       BIGINT NOT NULL CHECK (target >= 0),
    PRIMARY KEY (campaign_id, scope, metric)
);

-- Figures from outside hocso, per unit and day: households in the unit, and procedures the
-- portal received (in all and online), as organizers enter or import them.
CREATE TABLE unit_figures (
    campaign_id          BIGINT NOT NULL REFERENCES campaigns (id),
    unit_code            TEXT NOT NULL REFERENCES units (code),
    as_of                BIGINT NOT NULL,     -- the day, as Unix seconds at 00:00 UTC
    households           BIGINT CHECK (households >= 0),
    procedures_received  BIGINT CHECK (procedures_received >= 0),
    procedures_online    BIGINT CHECK (procedures_online >= 0),
    entered_by           BIGINT REFERENCES accounts (id),
    entered_at           BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_code, as_of),
    CHECK (procedures_online IS NULL OR procedures_received IS NULL
           OR procedures_online <= procedures_received)
);

-- A roster file uploaded for a preview, until it is imported (its rows are then cleared and
-- only the summary kept) or abandoned.
CREATE TABLE roster_uploads (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uploaded_by  BIGINT NOT NULL REFERENCES accounts (id),
    file_name    TEXT NOT NULL,
    content      TEXT NOT NULL,
    uploaded_at  BIGINT NOT NULL,
    applied_at   BIGINT,
    summary      TEXT             -- JSON: what the import did
);

-- A volunteer sent to a unit for one shift of one day.
CREATE TABLE deployments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    volunteer_id  BIGINT NOT NULL REFERENCES accounts (id),
    unit_code     TEXT NOT NULL REFERENCES units (code),
    day           BIGINT NOT NULL,     -- Unix seconds at 00:00 UTC
    shift         TEXT NOT NULL CHECK (shift IN ('morning', 'afternoon', 'evening')),
    assigned_by   BIGINT NOT NULL REFERENCES accounts (id),
    assigned_at   BIGINT NOT NULL,
    cancelled_at  BIGINT
);
-- One place per volunteer per shift.
CREATE UNIQUE INDEX deployments_one_place
    ON deployments (volunteer_id, day, shift) WHERE cancelled_at IS NULL;
CREATE INDEX deployments_unit ON deployments (unit_code, day);

-- Households met by volunteers, keyed within their unit by the normalised household code or
-- address; proficient when a member linked to it can use the portal on their own.
CREATE TABLE households (
    unit_code   TEXT NOT NULL REFERENCES units (code),
    household_key  TEXT NOT NULL,
    proficient  BIGINT NOT NULL DEFAULT 0 CHECK (proficient IN (0, 1)),
    first_seen  BIGINT NOT NULL,
    PRIMARY KEY (unit_code, household_key)
);

-- A session in which a volunteer guided a resident through a procedure.
CREATE TABLE assists (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    volunteer_id    BIGINT NOT NULL REFERENCES accounts (id),
    deployment_id   BIGINT REFERENCES deployments (id),
    unit_code       TEXT NOT NULL REFERENCES units (code),
    household       TEXT NOT NULL,
    resident_phone  TEXT,
    resident_id     BIGINT REFERENCES accounts (id),
    procedure_id    TEXT NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('online', 'helped', 'impossible')),
    minutes         BIGINT NOT NULL CHECK (minutes BETWEEN 1 AND 600),
    at              BIGINT NOT NULL,
    independent_at  BIGINT      -- the resident later passed this procedure's practice unaided
);
CREATE INDEX assists_unit ON assists (unit_code, at);
CREATE INDEX assists_volunteer ON assists (volunteer_id, at);
CREATE INDEX assists_resident ON assists (resident_id, procedure_id);
CREATE INDEX assists_phone ON assists (resident_phone);

-- Rollups the dashboards read, maintained in the transaction of every change they count.
-- scope: a unit code, or 'p:' and a province code for the whole province.
CREATE TABLE stats (
    scope   TEXT NOT NULL,
    metric  TEXT NOT NULL,
    value   BIGINT NOT NULL,
    PRIMARY KEY (scope, metric)
);
-- The same changes per Vietnam calendar day (days since 1970-01-01): the burn-up's history.
CREATE TABLE stats_daily (
    scope   TEXT NOT NULL,
    day     BIGINT NOT NULL,
    metric  TEXT NOT NULL,
    delta   BIGINT NOT NULL,
    PRIMARY KEY (scope, day, metric)
);

-- Each unit's rollups as they stood when a campaign began (the start of its target lines).
-- The days before a campaign's first day never change once it has begun, so this is
-- computed once per campaign and first day, as JSON (scope -> metric -> value); rebuilding
-- the rollups clears it.
CREATE TABLE campaign_openings (
    campaign_id  BIGINT NOT NULL REFERENCES campaigns (id),
    first_day    BIGINT NOT NULL,     -- days since 1970-01-01
    snapshot     TEXT NOT NULL,
    PRIMARY KEY (campaign_id, first_day)
);

-- The per-unit counts of learners meeting their standard now live in `stats`.
DROP TABLE unit_counts;

-- Set once the rollups have been built from the records (at the first start after this).
CREATE TABLE rollup_meta (
    id     BIGINT PRIMARY KEY CHECK (id = 1),
    built  BIGINT NOT NULL
);
