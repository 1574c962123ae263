package eu.massbalance.ledger.scheduling;

import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.ledger.intake.ControlIntake;
import eu.massbalance.ledger.intake.SiteRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Closes periods nobody closed: after a period's end plus the site's {@code autoCloseAfterDays},
 * a close request is appended once per site and period (the close-request table decides, so
 * several ledger-service instances may run this at once).
 */
@ApplicationScoped
public class AutoClose {

    private static final Logger LOG = Logger.getLogger(AutoClose.class);

    @Inject
    SiteRegistry sites;

    @Inject
    ControlIntake control;

    @Inject
    Clock clock;

    @Scheduled(every = "${ledger.auto-close.every:15m}", delayed = "${ledger.auto-close.delay:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        closeDuePeriods();
    }

    /** Returns the (site, period) pairs it requested a close for. */
    public List<String> closeDuePeriods() {
        List<String> requested = new ArrayList<>();
        for (String siteId : sites.siteIds()) {
            SiteConfigured site = sites.find(siteId).orElseThrow();
            if (site.autoCloseAfterDays() == null) {
                continue;
            }
            LocalDate today = LocalDate.now(clock.withZone(ZoneId.of(site.timeZone())));
            for (YearMonth period = site.firstPeriod(); ; period = period.plusMonths(site.periodMonths())) {
                LocalDate due = period.plusMonths(site.periodMonths() - 1L).atEndOfMonth().plusDays(site.autoCloseAfterDays());
                if (!today.isAfter(due)) {
                    break;
                }
                if (control.requestCloseIfNew(siteId, period)) {
                    requested.add(siteId + "/" + period);
                    LOG.infof("Auto-close requested for %s %s", siteId, period);
                }
            }
        }
        return requested;
    }
}
