package eu.massbalance.ledger.intake;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.event.CertificateRegistered;
import eu.massbalance.contracts.event.CertificateRevoked;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.ledger.log.LedgerAppender;
import eu.massbalance.ledger.log.LedgerAppender.Append;
import eu.massbalance.ledger.problem.InvalidInput;
import eu.massbalance.ledger.problem.Rejection;
import eu.massbalance.ledger.store.AcceptedDeliveries;
import eu.massbalance.ledger.store.CertificateEntity;
import eu.massbalance.ledger.store.SiteEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sites and supplier certificates. Each registration is stored, then appended to the logs it
 * concerns: a site's configuration to its own log; a certificate to every site's log (and every
 * known certificate to a new site's log), so that each site's history alone decides R-16. The row
 * and the appends are one unit: the row commits only after every append was acknowledged.
 */
@ApplicationScoped
public class SiteRegistry {

    @Inject
    LedgerAppender appender;

    @Inject
    Clock clock;

    @Inject
    AcceptedDeliveries accepted;

    @Transactional
    public Optional<SiteConfigured> find(String siteId) {
        if (!Bounds.isSiteId(siteId)) {
            return Optional.empty(); // no site was ever registered under such an id
        }
        SiteEntity entity = SiteEntity.findById(siteId);
        return entity == null ? Optional.empty() : Optional.of(LedgerJson.read(entity.configuration, SiteConfigured.class));
    }

    public SiteConfigured require(String siteId) {
        List<FieldProblem> problems = new ArrayList<>();
        Bounds.siteId("siteId", siteId, problems);
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
        return find(siteId).orElseThrow(() -> new Rejection(Rejection.Kind.NOT_FOUND, "SITE_UNKNOWN",
                "Site " + siteId + " is not registered; PUT /api/v1/sites/" + siteId + " first"));
    }

    /** Every registered site, for the scheduler. */
    @Transactional
    public List<String> siteIds() {
        return SiteEntity.<SiteEntity>listAll().stream().map(s -> s.siteId).sorted().toList();
    }

    /** The sites of an organisation. */
    @Transactional
    public List<String> siteIds(String organisationId) {
        return SiteEntity.<SiteEntity>list("organisationId", organisationId).stream().map(s -> s.siteId).sorted().toList();
    }

    /** The organisation a site belongs to, if it is registered and belongs to one. */
    @Transactional
    public Optional<String> organisationOf(String siteId) {
        if (!Bounds.isSiteId(siteId)) {
            return Optional.empty();
        }
        SiteEntity entity = SiteEntity.findById(siteId);
        return entity == null ? Optional.empty() : Optional.ofNullable(entity.organisationId);
    }

    /**
     * Registers or changes a site of the configuration's organisation; returns whether it was new.
     * Site ids are unique across organisations: one taken by another organisation is a conflict.
     */
    public boolean register(SiteConfigured configuration) {
        Optional<SiteConfigured> before = find(configuration.siteId());
        if (before.isPresent() && !configuration.organisationId().equals(before.get().organisationId())) {
            throw new Rejection(Rejection.Kind.CONFLICT, "SITE_ID_TAKEN", "Site id " + configuration.siteId()
                    + " is taken by another organisation; site ids are unique across organisations");
        }
        if (before.isPresent() && accepted.anyFor(configuration.siteId()) && gridChanged(before.get(), configuration)) {
            throw new Rejection(Rejection.Kind.CONFLICT, "PERIOD_GRID_LOCKED",
                    "The first period, period length and time zone cannot change once deliveries are accepted");
        }
        // the row commits only once the broker has acknowledged every append, so a failure leaves nothing
        // behind; a commit lost after the appends is repaired by repeating the request (same event ids)
        QuarkusTransaction.requiringNew().run(() -> {
            List<Append> appends = new ArrayList<>();
            // the same configuration again is the same event, whoever repeats it
            String version = Hashes.sha256(LedgerJson.write(configuration.withRequestedBy(null)));
            appends.add(new Append(EventIds.of("site", configuration.siteId(), version), configuration));
            if (before.isEmpty()) {
                for (CertificateEntity c : CertificateEntity.<CertificateEntity>list("id.organisationId",
                        configuration.organisationId())) {
                    appends.addAll(certificateEvents(c, configuration.siteId()));
                }
            }
            SiteEntity entity = SiteEntity.findById(configuration.siteId());
            if (entity == null) {
                entity = new SiteEntity();
                entity.siteId = configuration.siteId();
                entity.organisationId = configuration.organisationId();
            }
            entity.configuration = LedgerJson.write(configuration);
            entity.updatedAt = OffsetDateTime.now(clock);
            entity.persist();
            appender.appendAll(appends);
        });
        return before.isEmpty();
    }

    private static boolean gridChanged(SiteConfigured a, SiteConfigured b) {
        return a.periodMonths() != b.periodMonths() || !a.firstPeriod().equals(b.firstPeriod()) || !a.timeZone().equals(b.timeZone());
    }

    /** Registers an organisation's certificate and appends it to the logs of that organisation's sites only. */
    public void registerCertificate(String organisationId, CertificateRegistered registration) {
        CertificateEntity.Key key = new CertificateEntity.Key(organisationId, registration.supplierId(), registration.certificateId());
        QuarkusTransaction.requiringNew().run(() -> {
            CertificateEntity entity = CertificateEntity.findById(key);
            if (entity == null) {
                entity = new CertificateEntity();
                entity.id = key;
            }
            entity.registration = LedgerJson.write(registration);
            entity.updatedAt = OffsetDateTime.now(clock);
            entity.persist();
            fanOut(organisationId, registration::forSite, "certificate", registration.supplierId(), registration.certificateId(),
                    registrationVersion(registration));
        });
    }

    public void revokeCertificate(String organisationId, CertificateRevoked revocation) {
        CertificateEntity.Key key = new CertificateEntity.Key(organisationId, revocation.supplierId(), revocation.certificateId());
        QuarkusTransaction.requiringNew().run(() -> {
            CertificateEntity entity = CertificateEntity.findById(key);
            if (entity == null) {
                throw new Rejection(Rejection.Kind.NOT_FOUND, "CERTIFICATE_UNKNOWN",
                        "No certificate " + revocation.certificateId() + " of supplier " + revocation.supplierId());
            }
            entity.revokedFrom = revocation.effectiveFrom();
            entity.revocation = LedgerJson.write(revocation);
            entity.updatedAt = OffsetDateTime.now(clock);
            fanOut(organisationId, revocation::forSite, "revocation", revocation.supplierId(), revocation.certificateId(), String.valueOf(revocation.effectiveFrom()));
        });
    }

    private void fanOut(String organisationId, java.util.function.Function<String, LedgerEvent> forSite, String... idParts) {
        List<Append> appends = new ArrayList<>();
        for (String site : siteIds(organisationId)) {
            String[] parts = new String[idParts.length + 1];
            System.arraycopy(idParts, 0, parts, 0, idParts.length);
            parts[idParts.length] = site;
            appends.add(new Append(EventIds.of(parts), forSite.apply(site)));
        }
        appender.appendAll(appends);
    }

    /** The same registration again is the same event, whoever repeats it. */
    private static String registrationVersion(CertificateRegistered registration) {
        CertificateRegistered what = registration.forSite(null).withRequestedBy(null);
        return Hashes.sha256(LedgerJson.write(what));
    }

    private static List<Append> certificateEvents(CertificateEntity c, String site) {
        List<Append> events = new ArrayList<>();
        CertificateRegistered r = LedgerJson.read(c.registration, CertificateRegistered.class);
        // the same ids as when the registration was fanned out to the sites that existed then
        events.add(new Append(EventIds.of("certificate", r.supplierId(), r.certificateId(), registrationVersion(r), site),
                r.forSite(site)));
        if (c.revocation != null) {
            CertificateRevoked v = LedgerJson.read(c.revocation, CertificateRevoked.class);
            events.add(new Append(EventIds.of("revocation", v.supplierId(), v.certificateId(), String.valueOf(v.effectiveFrom()), site),
                    v.forSite(site)));
        }
        return events;
    }
}
