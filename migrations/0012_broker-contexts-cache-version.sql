-- The context store's documents are held in every server process's memory: a context added or
-- deleted through one process bumps cache_versions('broker_contexts'), and the others reload (ADR 0006).
CREATE TRIGGER broker_contexts_cache_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON broker_contexts
  FOR EACH STATEMENT EXECUTE FUNCTION bump_cache_version('broker_contexts');
