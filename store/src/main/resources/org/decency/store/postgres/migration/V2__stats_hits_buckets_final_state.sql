-- Version 2: statistics as `decency stats` shows them, and their retention.
--
-- stats_performance gains hits (calls with a partial score other than 0), finals (calls
-- that ended the run with the module's final word), rejects (final words that refused or
-- deferred the mail) and the calls per latency bucket b0 .. b20 (upper bounds 10 us, 25 us,
-- 50 us, 100 us, ... 10 s, 30 s, +Inf: see docs/CONFIG.md), from which a p99 is estimated.
ALTER TABLE stats_performance
    ADD COLUMN hits bigint NOT NULL DEFAULT 0,
    ADD COLUMN finals bigint NOT NULL DEFAULT 0,
    ADD COLUMN rejects bigint NOT NULL DEFAULT 0,
    ADD COLUMN b0 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b1 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b2 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b3 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b4 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b5 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b6 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b7 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b8 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b9 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b10 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b11 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b12 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b13 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b14 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b15 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b16 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b17 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b18 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b19 bigint NOT NULL DEFAULT 0,
    ADD COLUMN b20 bigint NOT NULL DEFAULT 0;

-- The seeds' final_state: how many mails ended in each state of the server (the Doorman's
-- accept, pass, reject, defer; the Detective's deliver/good, tag/spam, ...). Version 1
-- kept the final answers in stats_response under module '*': they move here.
CREATE TABLE stats_final_state (
    server      text   NOT NULL,
    period      text   NOT NULL,
    start       bigint NOT NULL,
    status      text   NOT NULL,
    amount      bigint NOT NULL,
    last_update bigint NOT NULL,
    PRIMARY KEY (server, period, start, status)
);

INSERT INTO stats_final_state (server, period, start, status, amount, last_update)
SELECT server, period, start,
       CASE WHEN status = 'OK' THEN 'accept'
            WHEN status IN ('DUNNO', 'PREPEND', 'WARN') THEN 'pass'
            WHEN status = 'REJECT' OR status LIKE '5%' THEN 'reject'
            WHEN status IN ('DEFER', 'DEFER_IF_PERMIT', 'DEFER_IF_REJECT') OR status LIKE '4%' THEN 'defer'
            ELSE lower(status) END AS state,
       sum(calls), max(last_update)
FROM stats_response WHERE module = '*'
GROUP BY server, period, start, state;

DELETE FROM stats_response WHERE module = '*';

-- Reading a period range (decency stats) and deleting old periods (maintenance).
CREATE INDEX stats_performance_period ON stats_performance (server, period, start);
CREATE INDEX stats_response_period ON stats_response (server, period, start);
