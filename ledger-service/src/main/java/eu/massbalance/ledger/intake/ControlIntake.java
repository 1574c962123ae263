package eu.massbalance.ledger.intake;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.event.DeviationActionPlanned;
import eu.massbalance.contracts.event.DeviationClass;
import eu.massbalance.contracts.event.DeviationClosed;
import eu.massbalance.contracts.event.DeviationReclassified;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.ledger.messaging.LedgerAppender;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Period closes and the compliance officer's deviation workflow, appended to the site's log. */
@ApplicationScoped
public class ControlIntake {

    @Inject
    SiteRegistry sites;

    @Inject
    LedgerAppender appender;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    /**
     * Requests a period close once per site and period: a second request, by a person or the
     * scheduler, returns the first one's event id. A period that has not ended is not closed.
     */
    public UUID closePeriod(String siteId, String periodId, String requestedBy) {
        SiteConfigured site = sites.require(siteId);
        YearMonth period;
        try {
            period = YearMonth.parse(periodId);
        } catch (DateTimeParseException e) {
            throw new InvalidInput("periodId", "FORMAT", "periodId is the period's first month, YYYY-MM");
        }
        long offset = ChronoUnit.MONTHS.between(site.firstPeriod(), period);
        if (offset < 0 || offset % site.periodMonths() != 0) {
            throw new InvalidInput("periodId", "PERIOD_UNKNOWN", periodId + " is not the start of a period of site " + siteId
                    + " (periods of " + site.periodMonths() + " month(s) from " + site.firstPeriod() + ")");
        }
        LocalDate end = period.plusMonths(site.periodMonths() - 1L).atEndOfMonth();
        if (!LocalDate.now(clock.withZone(ZoneId.of(site.timeZone()))).isAfter(end)) {
            throw new Rejection(Rejection.Kind.CONFLICT, "PERIOD_NOT_ENDED", "Period " + periodId + " ends on " + end
                    + "; it can be closed from the day after");
        }
        return requestClose(siteId, period, actor(requestedBy));
    }

    /** Records the request (first one wins) and appends it; returns the event id of the first request. */
    UUID requestClose(String siteId, YearMonth period, String requestedBy) {
        UUID eventId = EventIds.of("close", siteId, period.toString());
        try (Connection c = dataSource.getConnection()) {
            // the request row commits only after the append was acknowledged: a failure leaves nothing
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO period_close_request (site_id, period_id, event_id, requested_by) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT DO NOTHING")) {
                insert.setString(1, siteId);
                insert.setString(2, period.toString());
                insert.setObject(3, eventId);
                insert.setString(4, requestedBy);
                insert.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT requested_by FROM period_close_request WHERE site_id = ? AND period_id = ?")) {
                select.setString(1, siteId);
                select.setString(2, period.toString());
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    requestedBy = rs.getString(1);
                }
            }
            try {
                // appended on every request: the same event id, and the engine refuses a second close of a period
                appender.append(eventId, new PeriodCloseRequested(siteId, period, requestedBy));
                c.commit();
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return eventId;
    }

    /** For the scheduler: requests the close only if nobody has; returns whether it did. */
    public boolean requestCloseIfNew(String siteId, YearMonth period) {
        if (closeRequested(siteId, period)) {
            return false;
        }
        requestClose(siteId, period, "scheduler");
        return true;
    }

    boolean closeRequested(String siteId, YearMonth period) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT 1 FROM period_close_request WHERE site_id = ? AND period_id = ?")) {
            select.setString(1, siteId);
            select.setString(2, period.toString());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public UUID reclassify(String siteId, String deviationId, String newClass, String reason, String actor) {
        sites.require(siteId);
        DeviationClass target;
        try {
            target = DeviationClass.valueOf(String.valueOf(newClass));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("newClass", "VALUE_NOT_ALLOWED", "newClass is one of OBSERVATION, MINOR, MAJOR");
        }
        requireText("reason", reason, "A reclassification needs a written reason (R-16)");
        return append(new DeviationReclassified(siteId, deviationId, target, reason, actor(actor)));
    }

    public UUID planAction(String siteId, String deviationId, String actionPlan, String actor) {
        sites.require(siteId);
        requireText("actionPlan", actionPlan, "An action plan needs its text (R-18)");
        return append(new DeviationActionPlanned(siteId, deviationId, actionPlan, actor(actor)));
    }

    public UUID closeDeviation(String siteId, String deviationId, String resolution, String actor) {
        sites.require(siteId);
        requireText("resolution", resolution, "Closing a deviation needs its resolution");
        return append(new DeviationClosed(siteId, deviationId, resolution, actor(actor)));
    }

    private UUID append(LedgerEvent event) {
        UUID id = UUID.randomUUID();
        appender.append(id, event);
        return id;
    }

    /** Who asked, from the X-Actor header: a bounded name, checked before anything is recorded. */
    static String actor(String actor) {
        List<FieldProblem> problems = new ArrayList<>();
        Bounds.name("X-Actor", actor, problems);
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
        return actor == null || actor.isBlank() ? "anonymous" : actor;
    }

    static void requireText(String field, String value, String message) {
        if (value == null || value.isBlank()) {
            throw new InvalidInput(field, "REQUIRED", message);
        }
        List<FieldProblem> problems = new ArrayList<>();
        Bounds.text(field, value, problems);
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
    }
}
