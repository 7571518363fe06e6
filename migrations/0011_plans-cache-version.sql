-- Every change to what the public pages show bumps cache_versions('plans') in its own transaction,
-- whichever code path made it, so every server process drops its page cache (ADR 0006).
-- A new table of the plans module gets the same trigger.
CREATE FUNCTION bump_cache_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO cache_versions (name, version) VALUES (TG_ARGV[0], 1)
    ON CONFLICT (name) DO UPDATE SET version = cache_versions.version + 1;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['plans', 'plan_nodes', 'indicators', 'observations', 'cases', 'publications',
    'municipalities', 'plan_municipalities', 'project_partners', 'budget_lines', 'plan_versions',
    'version_projects', 'version_changes', 'evaluations', 'evaluation_indicators'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
      FOR EACH STATEMENT EXECUTE FUNCTION bump_cache_version(%L)', t || '_cache_version', t, 'plans');
  END LOOP;
END;
$$;
