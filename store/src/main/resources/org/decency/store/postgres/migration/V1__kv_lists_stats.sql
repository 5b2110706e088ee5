-- Decency's shared database on PostgreSQL, version 1. Applied by the store at start-up
-- (Flyway, history in decency_schema_history); never edit a released migration, add V2__...

-- Key/value state with expiry: greylist triplets, throttle counters, honeypot marks, AWL
-- counts, Doorman scores for the Detective. Expired rows are invisible at once and deleted
-- in batches by every running instance (FOR UPDATE SKIP LOCKED: they do not collide).
CREATE TABLE kv (
    key        text        PRIMARY KEY,
    value      text        NOT NULL,
    expires_at timestamptz NOT NULL
) WITH (fillfactor = 80);
CREATE INDEX kv_expires_at ON kv (expires_at);

-- CWL/CBL entries written by `decency list`; every change bumps meta.lists_version in the
-- same transaction, so running servers notice it.
CREATE TABLE list_entries (
    list      text        NOT NULL,
    kind      text        NOT NULL,
    to_domain text        NOT NULL,
    value     text        NOT NULL,
    created   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (list, kind, to_domain, value)
);

CREATE TABLE meta (
    key   text   PRIMARY KEY,
    value bigint NOT NULL
);
INSERT INTO meta (key, value) VALUES ('lists_version', 0);

-- Statistics, summed per server, module, period and period start (epoch seconds, UTC).
CREATE TABLE stats_performance (
    server      text             NOT NULL,
    module      text             NOT NULL,
    period      text             NOT NULL,
    start       bigint           NOT NULL,
    calls       bigint           NOT NULL,
    score       double precision NOT NULL,
    runtime     double precision NOT NULL,
    last_update bigint           NOT NULL,
    PRIMARY KEY (server, module, period, start)
);

CREATE TABLE stats_response (
    server      text   NOT NULL,
    module      text   NOT NULL,
    period      text   NOT NULL,
    start       bigint NOT NULL,
    status      text   NOT NULL,
    calls       bigint NOT NULL,
    last_update bigint NOT NULL,
    PRIMARY KEY (server, module, period, start, status)
);
