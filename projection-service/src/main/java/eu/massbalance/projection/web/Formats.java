package eu.massbalance.projection.web;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** How the workspace writes times and characteristic values for people. */
@TemplateExtension
final class Formats {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private Formats() {
    }

    /** A recorded instant as the site's business time: {@code 2025-03-02 06:00} in Europe/Stockholm. */
    static String local(String instant, String zone) {
        if (instant == null || instant.isEmpty()) {
            return "";
        }
        try {
            return LOCAL.format(Instant.parse(instant).atZone(ZoneId.of(zone)));
        } catch (java.time.DateTimeException e) {
            return instant;
        }
    }

    /** A characteristic: a quantity with its unit as {@code 14.2 gCO2e/MJ}, anything else as written. */
    static String shown(Object value) {
        if (value instanceof Map<?, ?> map && map.containsKey("amount") && map.containsKey("unit")) {
            return map.get("amount") + " " + map.get("unit");
        }
        return value == null ? "" : String.valueOf(value);
    }
}
