-- Refusals are served per site, by period and code (GET /api/v1/sites/{siteId}/refusals), and per
-- delivery (GET /api/v1/sites/{siteId}/deliveries/{deliveryId}). The period is the one the site was
-- in when the refusal happened (for a pending delivery refused at release, the period it waited for).
ALTER TABLE refusal ADD COLUMN period_id TEXT;
CREATE INDEX refusal_period ON refusal (site_id, period_id, code);
CREATE INDEX refusal_reference ON refusal (site_id, reference);
-- the status of a workflow command, by the event id it was appended under
CREATE INDEX journal_event_id ON journal (site_id, event_id);
