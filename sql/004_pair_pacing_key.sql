-- A claim looks up the pacing of its batch's recipients with every candidate sender. Keyed by
-- (sender_id, recipient), that took one index probe per sender and recipient, ten per message
-- with ten senders. Keyed by recipient first, one probe per recipient finds all its senders.

ALTER TABLE pair_pacing DROP CONSTRAINT pair_pacing_pkey;
ALTER TABLE pair_pacing ADD PRIMARY KEY (recipient, sender_id);
