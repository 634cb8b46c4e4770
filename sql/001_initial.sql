-- WabaRouter's initial schema. Applied once, inside a transaction, by `wabarouter migrate`
-- (or at server start) while holding the migration advisory lock.

-- A client company. Everything below belongs to exactly one tenant.
CREATE TABLE tenants (
    id uuid PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- BLAKE2b-256 of the bearer token; the token itself is never stored.
    api_key_hash bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A WhatsApp Business Account and the Infobip account that serves it.
CREATE TABLE wabas (
    id uuid PRIMARY KEY,
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- Meta's id of the WhatsApp Business Account (the API's `wabaId`).
    business_account_id text NOT NULL,
    -- Normalised to scheme://host[:port], without a path.
    base_url text NOT NULL,
    -- The Infobip API key sealed with libsodium's secretbox under SECRET_KEY: nonce, then
    -- MAC and ciphertext.
    api_key_sealed bytea NOT NULL,
    api_key_last4 text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, business_account_id)
);
CREATE INDEX wabas_tenant ON wabas (tenant_id, created_at);

-- A WhatsApp number of a WABA.
CREATE TABLE senders (
    id uuid PRIMARY KEY,
    waba_id uuid NOT NULL REFERENCES wabas (id),
    -- E.164 digits with country code, no '+'.
    number text NOT NULL CHECK (number ~ '^[1-9][0-9]{7,14}$'),
    status text NOT NULL CHECK (status IN ('ACTIVE', 'PAUSED', 'DISABLED')),
    quality text NOT NULL CHECK (quality IN ('HIGH', 'MEDIUM', 'LOW')),
    -- Ordering senders by the label text would put MEDIUM first, so selection orders by this.
    quality_rank smallint GENERATED ALWAYS AS (
        CASE quality WHEN 'HIGH' THEN 3 WHEN 'MEDIUM' THEN 2 ELSE 1 END
    ) STORED,
    -- 0 to 100; the quality label follows it (70 and above HIGH, 40 to 69 MEDIUM).
    score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
    last_used_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (waba_id, number)
);
-- Serves sender selection: active senders of a WABA, best quality first, never-used and then
-- least recently used first.
CREATE INDEX senders_selection
    ON senders (waba_id, quality_rank DESC, last_used_at ASC NULLS FIRST)
    WHERE status = 'ACTIVE';

-- A message template. It belongs to the WABA, never to a sender.
CREATE TABLE templates (
    id uuid PRIMARY KEY,
    waba_id uuid NOT NULL REFERENCES wabas (id),
    -- Infobip's id of the template, once Infobip has answered.
    infobip_id text,
    name text NOT NULL,
    language text NOT NULL,
    -- Category, status and quality are stored as Infobip sends them, so a value added by
    -- Infobip or Meta later is kept, not rejected.
    category text NOT NULL,
    status text NOT NULL,
    quality text,
    structure jsonb NOT NULL,
    infobip_response jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (waba_id, name, language)
);
CREATE INDEX templates_infobip_id ON templates (infobip_id);

-- One template message to one recipient.
CREATE TABLE messages (
    id uuid PRIMARY KEY,
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    waba_id uuid NOT NULL REFERENCES wabas (id),
    template_id uuid NOT NULL REFERENCES templates (id),
    template_name text NOT NULL,
    language text NOT NULL,
    recipient text NOT NULL,
    params jsonb NOT NULL,
    callback_data text,
    status text NOT NULL
        CHECK (status IN ('QUEUED', 'SENT', 'DELIVERED', 'SEEN', 'FAILED')),
    -- The sender of the attempt Infobip accepted, once one did.
    sender_id uuid REFERENCES senders (id),
    failure_reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_tenant_created ON messages (tenant_id, created_at DESC);
CREATE INDEX messages_status ON messages (status, updated_at);

-- One call to Infobip for a message, through one sender. Fallback to another sender is a new
-- attempt with its own Infobip message id, so a late report about an earlier, rejected attempt
-- is told apart from the attempt that counts. Retries of a transient failure reuse the
-- attempt, and with it the id, so Infobip can recognise a repeat.
CREATE TABLE message_attempts (
    id uuid PRIMARY KEY,
    message_id uuid NOT NULL REFERENCES messages (id),
    attempt_number integer NOT NULL CHECK (attempt_number >= 1),
    sender_id uuid NOT NULL REFERENCES senders (id),
    sender_number text NOT NULL,
    -- The `messageId` sent to Infobip; reports are matched on it.
    infobip_message_id text NOT NULL UNIQUE,
    -- PENDING while the call is under way, ACCEPTED, or the failure cause.
    outcome text NOT NULL,
    http_status integer,
    infobip_status text,
    error_code text,
    reason text,
    requests integer NOT NULL DEFAULT 0,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    UNIQUE (message_id, attempt_number)
);

ALTER TABLE messages ADD COLUMN current_attempt_id uuid REFERENCES message_attempts (id);

-- Every status a message was given or reported with, applied or not, in arrival order.
CREATE TABLE message_events (
    id bigserial PRIMARY KEY,
    message_id uuid NOT NULL REFERENCES messages (id),
    attempt_id uuid REFERENCES message_attempts (id),
    status text NOT NULL,
    -- False for a report that was late, repeated or about a superseded attempt.
    applied boolean NOT NULL,
    -- 'api', 'send', 'delivery-report' or 'seen-report'.
    source text NOT NULL,
    detail jsonb,
    -- When Infobip says it happened (doneAt, seenAt), if it says.
    occurred_at timestamptz,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_events_message ON message_events (message_id, id);

-- Tell every instance that a WABA's senders or credentials changed, whoever changed them
-- (the API or a DBA). The payload is the WABA id only; listeners read the rest.
CREATE FUNCTION notify_waba_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'wabas' THEN
        PERFORM pg_notify('wabarouter_waba_changes', COALESCE(NEW.id, OLD.id)::text);
    ELSE
        PERFORM pg_notify('wabarouter_waba_changes', COALESCE(NEW.waba_id, OLD.waba_id)::text);
    END IF;
    RETURN NULL;
END;
$$;

-- Only columns that change selection or credentials notify: every send updates last_used_at,
-- and a notification per send would flood the listeners.
CREATE TRIGGER senders_notify
    AFTER INSERT OR DELETE OR UPDATE OF status, quality, number ON senders
    FOR EACH ROW EXECUTE FUNCTION notify_waba_change();
CREATE TRIGGER wabas_notify
    AFTER INSERT OR DELETE OR UPDATE OF base_url, api_key_sealed ON wabas
    FOR EACH ROW EXECUTE FUNCTION notify_waba_change();
