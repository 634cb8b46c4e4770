-- A WhatsApp number belongs to one WABA at Meta. Two sender rows for one number would each be
-- paced at the number's full rate, so within a tenant a number may be an ACTIVE or PAUSED
-- sender of one WABA only; DISABLED rows stay as history. The rule stops at the tenant, because
-- a rule across tenants would let one tenant block another's number by registering it first.

ALTER TABLE senders ADD COLUMN tenant_id uuid REFERENCES tenants (id);
UPDATE senders SET tenant_id = wabas.tenant_id FROM wabas WHERE wabas.id = senders.waba_id;
ALTER TABLE senders ALTER COLUMN tenant_id SET NOT NULL;

CREATE UNIQUE INDEX senders_number_in_use ON senders (tenant_id, number)
    WHERE status <> 'DISABLED';
