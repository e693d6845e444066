"""Postgres guards a campaign's shares (联合劝募), whoever writes:

- the shares of a campaign that is no longer a draft never change (insert, update, delete):
  donors gave under that split;
- at every commit, the shares of each campaign that still exists add up to exactly 100 %
  (a deferred constraint trigger, so a draft's shares can be rewritten inside one transaction);
- a campaign is born a draft, and goes public only with shares adding up to exactly 100 %.

On SQLite (quick local runs) only the services and the admin's checks apply.
"""

from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION funds_campaign_share_frozen() RETURNS trigger AS $$
DECLARE
    target bigint;
    state text;
BEGIN
    IF TG_OP = 'DELETE' THEN target := OLD.campaign_id; ELSE target := NEW.campaign_id; END IF;
    SELECT status INTO state FROM funds_campaign WHERE id = target;
    IF state IS NOT NULL AND state <> 'draft' THEN
        RAISE EXCEPTION 'campaign %% is %%: its shares cannot change', target, state
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.campaign_id <> NEW.campaign_id THEN
        SELECT status INTO state FROM funds_campaign WHERE id = OLD.campaign_id;
        IF state IS NOT NULL AND state <> 'draft' THEN
            RAISE EXCEPTION 'campaign %% is %%: its shares cannot change', OLD.campaign_id, state
                USING ERRCODE = 'restrict_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION funds_campaign_shares_total(target bigint) RETURNS void AS $$
DECLARE
    total numeric;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM funds_campaign WHERE id = target) THEN
        RETURN;  -- the campaign itself was deleted: its shares go with it
    END IF;
    SELECT COALESCE(SUM(percent), 0) INTO total FROM funds_campaignshare WHERE campaign_id = target;
    IF total <> 100 THEN
        RAISE EXCEPTION 'the shares of campaign %% add up to %%; they must add up to 100%%%%',
            target, trim_scale(total)::text || '%%' USING ERRCODE = 'check_violation';
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION funds_campaign_shares_add_up() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM funds_campaign_shares_total(OLD.campaign_id); END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM funds_campaign_shares_total(NEW.campaign_id); END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION funds_campaign_public_needs_shares() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'draft' THEN
            RAISE EXCEPTION 'a campaign starts as a draft: its shares come before it goes public'
                USING ERRCODE = 'check_violation';
        END IF;
    ELSIF OLD.status = 'draft' AND NEW.status <> 'draft' THEN
        PERFORM funds_campaign_shares_total(NEW.id);
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

TRIGGERS = """
CREATE TRIGGER funds_campaignshare_frozen BEFORE INSERT OR UPDATE OR DELETE
    ON funds_campaignshare FOR EACH ROW EXECUTE FUNCTION funds_campaign_share_frozen();
CREATE CONSTRAINT TRIGGER funds_campaignshare_add_up AFTER INSERT OR UPDATE OR DELETE
    ON funds_campaignshare DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION funds_campaign_shares_add_up();
CREATE TRIGGER funds_campaign_public_needs_shares BEFORE INSERT OR UPDATE OF status
    ON funds_campaign FOR EACH ROW EXECUTE FUNCTION funds_campaign_public_needs_shares();
"""

DROP = """
DROP TRIGGER IF EXISTS funds_campaign_public_needs_shares ON funds_campaign;
DROP TRIGGER IF EXISTS funds_campaignshare_add_up ON funds_campaignshare;
DROP TRIGGER IF EXISTS funds_campaignshare_frozen ON funds_campaignshare;
DROP FUNCTION IF EXISTS funds_campaign_public_needs_shares();
DROP FUNCTION IF EXISTS funds_campaign_shares_add_up();
DROP FUNCTION IF EXISTS funds_campaign_shares_total(bigint);
DROP FUNCTION IF EXISTS funds_campaign_share_frozen();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS)
        schema_editor.execute(TRIGGERS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("funds", "0007_refuse_truncate")]

    operations = [migrations.RunPython(forwards, backwards)]
