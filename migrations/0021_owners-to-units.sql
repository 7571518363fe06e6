-- Owners (indicators.owner_department) and accounts' departments (staff_accounts.department) were free
-- text; from now on they hold an organisation unit's id. A text that names a department or section as
-- people write it (NFKC: full-width ＤＸ is DX; spaces removed) by its full name, or by a section's own
-- name where only one unit has it, becomes that unit's id. The rest stays as it was: the owners page
-- lists it for an administrator to fix. On an upgrade the registry's rows are loaded after the
-- migrations, so organisations' default-data loader runs this function again once they are in.
-- A name as compared (units.ts `comparable`): NFKC, no white space.
CREATE OR REPLACE FUNCTION comparable_name(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(normalize(s, NFKC), '\s', '', 'g')
$$;
--> statement-breakpoint
-- Every name that means one department or section: full names, and own names where only one unit has it.
CREATE OR REPLACE FUNCTION unit_keys() RETURNS TABLE (key text, id text) LANGUAGE sql STABLE AS $$
  WITH units AS (
    SELECT u.id, comparable_name(coalesce(p.name, '') || u.name) AS full_name, comparable_name(u.name) AS name
    FROM organisation_units u LEFT JOIN organisation_units p ON p.id = u.parent_id
    WHERE u.kind IN ('department', 'section')
  ), names AS (
    SELECT full_name AS key, id FROM units
    UNION ALL SELECT name, id FROM units
  )
  SELECT key, min(id) FROM names GROUP BY key HAVING count(DISTINCT id) = 1
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION owners_to_units() RETURNS void LANGUAGE sql AS $$
  UPDATE indicators i SET owner_department = k.id FROM unit_keys() k
  WHERE comparable_name(i.owner_department) = k.key
    AND NOT EXISTS (SELECT 1 FROM organisation_units u WHERE u.id = i.owner_department);
  UPDATE staff_accounts a SET department = k.id FROM unit_keys() k
  WHERE comparable_name(a.department) = k.key
    AND NOT EXISTS (SELECT 1 FROM organisation_units u WHERE u.id = a.department);
$$;
--> statement-breakpoint
SELECT owners_to_units();
