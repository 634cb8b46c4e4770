-- Claims pick among partial indexes on messages.queue_state, so the planner needs statistics
-- that know how many messages are queued. By default autovacuum analyzes a table once a tenth
-- of it has changed, which a large messages table reaches only after many bulks. Analyze it
-- after every 50,000 changed rows instead, whatever its size; ANALYZE reads a fixed sample.
ALTER TABLE messages SET (
    autovacuum_analyze_scale_factor = 0.0,
    autovacuum_analyze_threshold = 50000
);
