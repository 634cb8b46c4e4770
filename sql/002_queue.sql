-- The work queue behind single and bulk sends, pacing state, business portfolios and
-- idempotency keys. Applied once, inside a transaction, under the migration advisory lock.

-- A Meta business portfolio. Its messaging limit counts unique recipients reached outside a
-- customer-service window over a rolling 24 hours, shared by every WABA and sender in it.
CREATE TABLE portfolios (
    id uuid PRIMARY KEY,
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- Meta's tier: TIER_250, TIER_2K, TIER_10K, TIER_100K or UNLIMITED.
    messaging_limit_tier text NOT NULL
        CHECK (messaging_limit_tier IN ('TIER_250', 'TIER_2K', 'TIER_10K', 'TIER_100K',
                                        'UNLIMITED')),
    -- Unique recipients per rolling 24 hours; NULL for UNLIMITED.
    messaging_limit integer CHECK (messaging_limit IS NULL OR messaging_limit > 0),
    -- 'default' until someone sets the tier ('api') or it is read from Infobip ('infobip').
    messaging_limit_source text NOT NULL DEFAULT 'default'
        CHECK (messaging_limit_source IN ('default', 'api', 'infobip')),
    messaging_limit_checked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX portfolios_tenant ON portfolios (tenant_id, created_at);

-- Every existing WABA gets a portfolio of its own at Meta's starting tier, as new ones do.
ALTER TABLE wabas ADD COLUMN portfolio_id uuid REFERENCES portfolios (id);
INSERT INTO portfolios (id, tenant_id, name, messaging_limit_tier, messaging_limit)
SELECT id, tenant_id, name, 'TIER_250', 250 FROM wabas;
UPDATE wabas SET portfolio_id = id;
ALTER TABLE wabas ALTER COLUMN portfolio_id SET NOT NULL;
CREATE INDEX wabas_portfolio ON wabas (portfolio_id);

-- Dispatch stops for a whole WABA until this instant, after Infobip answered 429 or
-- rejected the API key; `dispatch_paused_reason` says which.
ALTER TABLE wabas ADD COLUMN dispatch_paused_until timestamptz;
ALTER TABLE wabas ADD COLUMN dispatch_paused_reason text;

-- Recipients counted against a portfolio's messaging limit. A recipient counts while
-- `counted_at` lies within the last 24 hours; sending to it again in that time is free.
CREATE TABLE portfolio_recipients (
    portfolio_id uuid NOT NULL REFERENCES portfolios (id),
    recipient text NOT NULL,
    counted_at timestamptz NOT NULL,
    PRIMARY KEY (portfolio_id, recipient)
);
CREATE INDEX portfolio_recipients_window ON portfolio_recipients (portfolio_id, counted_at);

-- The last inbound message from a user to a sender, which opens a 24-hour customer-service
-- window: templates sent inside it do not count against the portfolio's limit.
CREATE TABLE service_windows (
    sender_id uuid NOT NULL REFERENCES senders (id),
    recipient text NOT NULL,
    last_inbound_at timestamptz NOT NULL,
    PRIMARY KEY (sender_id, recipient)
);

-- Throughput per sender, enforced across instances through the sender's row. Each claimed
-- batch appends its instant and size; entries older than the pacing window are dropped.
ALTER TABLE senders ADD COLUMN messages_per_second integer NOT NULL DEFAULT 80
    CHECK (messages_per_second BETWEEN 1 AND 10000);
ALTER TABLE senders ADD COLUMN recent_batch_at timestamptz[] NOT NULL DEFAULT '{}';
ALTER TABLE senders ADD COLUMN recent_batch_sizes integer[] NOT NULL DEFAULT '{}';

-- Spacing of messages from one sender to one recipient (Meta's pair rate limit), as a
-- generic cell rate algorithm: `theoretical_at` is when the pair is fully rested. Losing this
-- table in a database crash only forgets recent spacing, so it skips the write-ahead log.
-- Each message updates its pair's instant, so the only index is the key, leaving the updates
-- free to stay on their page (fill factor 70); the upkeep that deletes rested pairs scans.
CREATE UNLOGGED TABLE pair_pacing (
    sender_id uuid NOT NULL,
    recipient text NOT NULL,
    theoretical_at timestamptz NOT NULL,
    PRIMARY KEY (sender_id, recipient)
) WITH (fillfactor = 70);

-- A bulk request: one template to many recipients.
CREATE TABLE bulks (
    id uuid PRIMARY KEY,
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    waba_id uuid NOT NULL REFERENCES wabas (id),
    template_id uuid NOT NULL REFERENCES templates (id),
    template_name text NOT NULL,
    language text NOT NULL,
    -- Items in the request, items stored, items dropped as repeated recipients, items rejected.
    requested integer NOT NULL,
    accepted integer NOT NULL,
    duplicates integer NOT NULL,
    rejected integer NOT NULL,
    send_at timestamptz,
    expires_at timestamptz,
    cancelled_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bulks_tenant ON bulks (tenant_id, created_at DESC);

-- A claimed batch: messages of one WABA going out in one Infobip request. Its lease is
-- renewed by the instance's heartbeat; once it lapses, another instance takes the messages
-- over. The row is deleted when the batch's results are stored.
CREATE TABLE dispatch_batches (
    id uuid PRIMARY KEY,
    instance_id text NOT NULL,
    waba_id uuid NOT NULL REFERENCES wabas (id),
    claimed_at timestamptz NOT NULL DEFAULT now(),
    lease_expires_at timestamptz NOT NULL
);
CREATE INDEX dispatch_batches_instance ON dispatch_batches (instance_id);
CREATE INDEX dispatch_batches_lease ON dispatch_batches (lease_expires_at);

-- Messages: queue state. SENDING is a message claimed by a batch, or one whose Infobip call
-- may have happened and which waits for Infobip's report. EXPIRED and CANCELLED end messages
-- that were never sent.
ALTER TABLE messages DROP CONSTRAINT messages_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_status_check
    CHECK (status IN ('QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'SEEN', 'FAILED', 'EXPIRED',
                      'CANCELLED'));
-- No foreign key, for the reason given with the others dropped below.
ALTER TABLE messages ADD COLUMN bulk_id uuid;
-- When a QUEUED message may be claimed: its sendAt, or the end of a backoff.
ALTER TABLE messages ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE messages ADD COLUMN expires_at timestamptz;
-- Why a QUEUED message is not going out yet, such as 'portfolio-limit' or 'pair-pacing'.
ALTER TABLE messages ADD COLUMN wait_reason text;
-- The batch holding a SENDING message.
ALTER TABLE messages ADD COLUMN batch_id uuid;
-- The next attempt must use this sender (pair pacing, Meta's pair rate limit).
ALTER TABLE messages ADD COLUMN pinned_sender_id uuid;
-- The next request must repeat this attempt: same sender, same Infobip message id, because
-- Infobip may already hold it.
ALTER TABLE messages ADD COLUMN pinned_attempt_id uuid;
-- Senders that failed this message; it is not offered to them again.
ALTER TABLE messages ADD COLUMN excluded_sender_ids uuid[] NOT NULL DEFAULT '{}';
-- For a SENDING message outside a batch: until when its report is awaited before the
-- unknown-outcome policy applies.
ALTER TABLE messages ADD COLUMN awaiting_report_until timestamptz;
-- When Infobip accepted the message.
ALTER TABLE messages ADD COLUMN sent_at timestamptz;

-- Where a message stands in the queue, derived from its status: 'queued', 'claimed' (SENDING
-- in a batch), 'awaiting-report' (SENDING outside a batch), or NULL once Infobip took it or
-- it ended. The claim-path indexes below cover one queue state each, so finished messages
-- leave them. They name this column rather than status, so that a delivery or seen report,
-- which changes only the status of a message already out of the queue, touches no indexed
-- column and PostgreSQL can update the row in place (a HOT update) without new index entries;
-- the fill factor leaves room on each page for that.
ALTER TABLE messages ADD COLUMN queue_state text GENERATED ALWAYS AS (
    CASE
        WHEN status = 'QUEUED' THEN 'queued'
        WHEN status = 'SENDING' AND batch_id IS NOT NULL THEN 'claimed'
        WHEN status = 'SENDING' THEN 'awaiting-report'
    END
) STORED;
ALTER TABLE messages SET (fillfactor = 85);

DROP INDEX messages_status;
CREATE INDEX messages_ready ON messages (waba_id, next_attempt_at, id)
    WHERE queue_state = 'queued';
CREATE INDEX messages_in_batch ON messages (batch_id) WHERE queue_state = 'claimed';
CREATE INDEX messages_awaiting_report ON messages (awaiting_report_until)
    WHERE queue_state = 'awaiting-report';
CREATE INDEX messages_expiring ON messages (expires_at)
    WHERE queue_state = 'queued' AND expires_at IS NOT NULL;
CREATE INDEX messages_pinned_sender ON messages (pinned_sender_id)
    WHERE queue_state = 'queued' AND pinned_sender_id IS NOT NULL;
-- Messages the portfolio's limit keeps back, released by recipient when an inbound message
-- opens a service window.
CREATE INDEX messages_held_for_limit ON messages (recipient)
    WHERE queue_state = 'queued' AND wait_reason = 'portfolio-limit';
-- One message per recipient in a bulk; it also serves a bulk's counts per status and its
-- pages. An index on (bulk_id, status) would make those reads index-only, but every status
-- change of every message would then update it too.
CREATE UNIQUE INDEX messages_bulk_recipient ON messages (bulk_id, recipient)
    WHERE bulk_id IS NOT NULL;

-- Foreign keys on the queue's rows cost a lookup and a row lock per write: a bulk of 100,000
-- messages spent a third of its insert time on them, and the KEY SHARE lock a check takes on
-- a sender row waits behind the FOR UPDATE of a claim that reserved that sender. The
-- application writes these columns from rows it has just read in the same transaction, and no
-- API deletes tenants, templates, senders, bulks, messages or attempts, so the references stay
-- valid without them. messages.waba_id keeps its key, checked once per insert.
ALTER TABLE messages DROP CONSTRAINT messages_tenant_id_fkey;
ALTER TABLE messages DROP CONSTRAINT messages_template_id_fkey;
ALTER TABLE messages DROP CONSTRAINT messages_sender_id_fkey;
ALTER TABLE messages DROP CONSTRAINT messages_current_attempt_id_fkey;
ALTER TABLE message_attempts DROP CONSTRAINT message_attempts_message_id_fkey;
ALTER TABLE message_attempts DROP CONSTRAINT message_attempts_sender_id_fkey;
ALTER TABLE message_events DROP CONSTRAINT message_events_message_id_fkey;
ALTER TABLE message_events DROP CONSTRAINT message_events_attempt_id_fkey;
-- An attempt's result is written once after its insert; room on the page keeps that update
-- in place.
ALTER TABLE message_attempts SET (fillfactor = 80);

-- Pair spacing looks attempts up by recipient.
ALTER TABLE message_attempts ADD COLUMN recipient text;
UPDATE message_attempts a SET recipient = m.recipient FROM messages m WHERE m.id = a.message_id;

-- The first answer to a request sent with an Idempotency-Key, so that a repeat returns it
-- instead of acting again. Keys are kept 24 hours.
CREATE TABLE idempotency_keys (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    endpoint text NOT NULL,
    key text NOT NULL,
    -- SHA-256 of the canonical request body.
    request_hash bytea NOT NULL,
    message_id uuid REFERENCES messages (id),
    bulk_id uuid REFERENCES bulks (id),
    response_status integer,
    response_body bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, endpoint, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Wake dispatchers when queued work appears. The payload is the WABA id; it is a hint only,
-- since notifications are lost while a listener reconnects, and dispatchers also poll.
CREATE FUNCTION notify_queue(waba uuid) RETURNS void LANGUAGE sql AS $$
    SELECT pg_notify('wabarouter_queue', waba::text);
$$;

-- A sender leaving ACTIVE releases the messages pinned to it for pacing, so other senders
-- take them. Messages that must repeat an attempt keep their sender.
CREATE FUNCTION release_pinned_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> 'ACTIVE' AND OLD.status = 'ACTIVE' THEN
        UPDATE messages SET pinned_sender_id = NULL, wait_reason = NULL,
                            next_attempt_at = LEAST(next_attempt_at, now())
        WHERE queue_state = 'queued' AND pinned_sender_id = NEW.id AND pinned_attempt_id IS NULL;
        PERFORM pg_notify('wabarouter_queue', NEW.waba_id::text);
    ELSIF NEW.status = 'ACTIVE' AND OLD.status <> 'ACTIVE' THEN
        PERFORM pg_notify('wabarouter_queue', NEW.waba_id::text);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER senders_release_pins
    AFTER UPDATE OF status ON senders
    FOR EACH ROW EXECUTE FUNCTION release_pinned_messages();

-- A new ACTIVE sender can take queued work at once.
CREATE FUNCTION notify_new_sender() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'ACTIVE' THEN
        PERFORM pg_notify('wabarouter_queue', NEW.waba_id::text);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER senders_notify_queue
    AFTER INSERT ON senders
    FOR EACH ROW EXECUTE FUNCTION notify_new_sender();
