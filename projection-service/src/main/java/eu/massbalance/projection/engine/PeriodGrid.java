package eu.massbalance.projection.engine;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * Contiguous balancing periods of 1, 2, 3, 4, 6 or 12 months from the first period, in the
 * site's time zone. A delivery belongs to the period containing its date there.
 */
record PeriodGrid(YearMonth first, int months, ZoneId zone) {

    static final Set<Integer> ALLOWED_MONTHS = Set.of(1, 2, 3, 4, 6, 12);

    YearMonth periodOf(OffsetDateTime occurredAt) {
        return periodOf(YearMonth.from(localDate(occurredAt)));
    }

    /** The date in the site's time zone: one offset look-up, no zoned date-time built (this runs for every delivery). */
    LocalDate localDate(OffsetDateTime occurredAt) {
        long epochSecond = occurredAt.toEpochSecond();
        int offset = zone.getRules().getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
        return LocalDate.ofEpochDay(Math.floorDiv(epochSecond + offset, 86_400L));
    }

    YearMonth periodOf(YearMonth month) {
        long offset = ChronoUnit.MONTHS.between(first, month);
        return first.plusMonths(Math.floorDiv(offset, months) * (long) months);
    }

    boolean isPeriodStart(YearMonth month) {
        return periodOf(month).equals(month);
    }

    YearMonth next(YearMonth period) {
        return period.plusMonths(months);
    }

    LocalDate lastDay(YearMonth period) {
        return period.plusMonths(months - 1L).atEndOfMonth();
    }
}
