package eu.massbalance.projection.web;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.access.Principal;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.projection.api.Access;
import eu.massbalance.projection.store.ReadModels;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The auditor's and compliance officer's workspace: server-rendered pages (Qute) over the same read
 * models and the same access rules as the API, in Swedish or English. A person who is not signed in
 * is sent to sign in and brought back; one without the role or the organisation gets a 403 page.
 */
@Path("/app")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class Workspace {

    static final String LANGUAGE_COOKIE = "massbalance_lang";

    @Inject
    SecurityIdentity identity;

    @Inject
    Access access;

    @Inject
    ReadModels read;

    @Inject
    @Location("workspace/sites.html")
    Template sites;

    @Inject
    @Location("workspace/site.html")
    Template site;

    @Inject
    @Location("workspace/period.html")
    Template period;

    @Inject
    @Location("workspace/trace.html")
    Template trace;

    @Inject
    @Location("workspace/deviations.html")
    Template deviations;

    @Inject
    @Location("workspace/denied.html")
    Template denied;

    @Inject
    @Location("workspace/deviation.html")
    Template deviation;

    @Inject
    org.eclipse.microprofile.jwt.JsonWebToken token;

    @Inject
    FormGuard guard;

    @Inject
    LedgerCommands ledger;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uri;

    @GET
    public Response overview(@QueryParam("lang") String lang) {
        return page(lang, () -> {
            Principal caller = access.require(Principal.COMPLIANCE_OFFICER, Principal.AUDITOR);
            return sites.data("sites", plain(read.sites(caller.readable())));
        });
    }

    @GET
    @Path("sites/{siteId}")
    public Response site(@PathParam("siteId") String siteId, @QueryParam("lang") String lang) {
        return page(lang, () -> {
            access.readerOf(siteId);
            SiteConfigured config = read.configuration(siteId).orElseThrow(NotFoundException::new);
            List<ReadModels.Period> periods = new ArrayList<>(read.periods(siteId));
            java.util.Collections.reverse(periods);
            int year = periods.isEmpty() ? LocalDate.now().getYear() : YearMonth.parse(periods.get(periods.size() - 1).periodId()).getYear();
            return site.data("siteId", siteId).data("samples", plain(samples.list(siteId))).data("config", plain(config)).data("periods", plain(periods))
                    .data("stock", plain(read.stock(siteId))).data("organisationId", config.organisationId()).data("year", year)
                    .data("transfers", plain(read.transfers(siteId, null, null))).data("timeZone", zone(config).getId());
        });
    }

    @GET
    @Path("sites/{siteId}/periods/{periodId}")
    public Response period(@PathParam("siteId") String siteId, @PathParam("periodId") String periodId, @QueryParam("lang") String lang,
                           @QueryParam("direction") String direction, @QueryParam("product") String product,
                           @QueryParam("sent") String sent, @QueryParam("asOfDate") String asOfDate, @QueryParam("asOfSeq") String asOfSeq,
                           @QueryParam("fromDate") String fromDate, @QueryParam("toDate") String toDate) {
        return page(lang, () -> {
            access.readerOf(siteId);
            SiteConfigured config = read.configuration(siteId).orElseThrow(NotFoundException::new);
            YearMonth month = parsePeriod(periodId);
            Long asOf = asOf(siteId, zone(config), asOfDate, asOfSeq);
            Object balance = asOf == null ? plain(read.balance(siteId, periodId).orElseThrow(NotFoundException::new))
                    : plain(read.balanceAsOf(siteId, month, asOf).orElseThrow(NotFoundException::new));
            JsonNode balanceJson = LedgerJson.mapper().valueToTree(balance);
            List<ReadModels.Movement> movements = movements(siteId, config, month, direction, product, fromDate, toDate).stream()
                    .filter(m -> asOf == null || m.seq() <= asOf).toList();
            Principal caller = access.current();
            return period.data("siteId", siteId).data("periodId", periodId).data("config", plain(config))
                    .data("mayClose", asOf == null && ledger.configured() && mayAct(caller, siteId)
                            && "OPEN".equals(balanceJson.path("status").asText()))
                    .data("sent", sent != null && sent.matches("[A-Za-z0-9:._-]{1,200}") ? sent : "")
                    .data("asOf", asOf == null ? "" : String.valueOf(asOf)).data("asOfDate", asOfDate == null ? "" : asOfDate)
                    .data("balance", balance).data("movements", plain(movements))
                    .data("charts", StockChart.of(balanceJson, movements)).data("direction", direction == null ? "" : direction)
                    .data("product", product == null ? "" : product).data("timeZone", zone(config).getId())
                    .data("fromDate", fromDate == null ? "" : fromDate).data("toDate", toDate == null ? "" : toDate)
                    .data("from", month.atDay(1).toString()).data("to", month.plusMonths(config.periodMonths()).atDay(1).minusDays(1).toString());
        });
    }

    /**
     * The log position a reader asked to see the books at: a position itself, or the end of a business day in the
     * site's time zone (every event recorded by its midnight); none for the books as they stand.
     */
    private Long asOf(String siteId, ZoneId zone, String asOfDate, String asOfSeq) {
        if (asOfSeq != null && !asOfSeq.isBlank()) {
            if (!asOfSeq.strip().matches("\\d{1,18}")) {
                throw new jakarta.ws.rs.BadRequestException("asOfSeq: a log position, a whole number");
            }
            return Long.valueOf(asOfSeq.strip());
        }
        if (asOfDate != null && !asOfDate.isBlank()) {
            LocalDate day;
            try {
                day = LocalDate.parse(asOfDate.strip());
            } catch (DateTimeParseException e) {
                throw new jakarta.ws.rs.BadRequestException("asOfDate: a date, YYYY-MM-DD");
            }
            if (day.getYear() < 1900 || day.getYear() > 2999) {
                throw new jakarta.ws.rs.BadRequestException("asOfDate: a date from 1900 to 2999");
            }
            return read.seqAt(siteId, day.plusDays(1).atStartOfDay(zone).toInstant().minusNanos(1000)).orElse(0L);
        }
        return null;
    }

    /** The period's movements as CSV, with the same filters as the page. */
    @GET
    @Path("sites/{siteId}/periods/{periodId}/movements.csv")
    @Produces("text/csv")
    public Response movementsCsv(@PathParam("siteId") String siteId, @PathParam("periodId") String periodId,
                                 @QueryParam("direction") String direction, @QueryParam("product") String product,
                                 @QueryParam("fromDate") String fromDate, @QueryParam("toDate") String toDate) {
        if (identity.isAnonymous()) {
            return signIn();
        }
        access.readerOf(siteId);
        SiteConfigured config = read.configuration(siteId).orElseThrow(NotFoundException::new);
        StringBuilder csv = new StringBuilder("deliveryId,seq,direction,status,occurredAt,periodId,product,unit,quantity,sustainable,"
                + "nonSustainable,uncovered,batches\r\n");
        for (ReadModels.Movement m : movements(siteId, config, parsePeriod(periodId), direction, product, fromDate, toDate)) {
            csv.append(String.join(",", Csv.cell(m.deliveryId()), String.valueOf(m.seq()), m.direction(), m.status(), m.occurredAt(),
                    Csv.cell(m.periodId()), Csv.cell(m.product()), Csv.cell(m.unit()), plain(m.quantity()), plain(m.sustainable()),
                    plain(m.nonSustainable()), plain(m.uncovered()), Csv.cell(String.join(" ", m.portions().stream()
                            .map(p -> p.batchId() + ":" + p.amount().toPlainString()).toList())))).append("\r\n");
        }
        return Response.ok(csv.toString().getBytes(StandardCharsets.UTF_8))
                .header("Content-Disposition", "attachment; filename=\"" + siteId + "-" + periodId + "-movements.csv\"").build();
    }

    @GET
    @Path("sites/{siteId}/batches/{batchId}")
    public Response trace(@PathParam("siteId") String siteId, @PathParam("batchId") String batchId, @QueryParam("lang") String lang) {
        return page(lang, () -> {
            access.readerOf(siteId);
            String zone = read.configuration(siteId).map(c -> zone(c).getId()).orElse("UTC");
            return trace.data("siteId", siteId).data("timeZone", zone).data("trace", plain(read.trace(siteId, batchId).orElseThrow(NotFoundException::new)));
        });
    }

    @GET
    @Path("deviations")
    public Response deviations(@QueryParam("lang") String lang, @QueryParam("class") String deviationClass,
                               @QueryParam("status") String status, @QueryParam("fragment") boolean fragment) {
        return page(lang, () -> {
            Principal caller = access.require(Principal.COMPLIANCE_OFFICER, Principal.AUDITOR);
            String cls = deviationClass == null || deviationClass.isBlank() ? null : deviationClass;
            String st = status == null || status.isBlank() ? null : status;
            List<JsonNode> rows = read.deviations(caller.readable(), null, cls, st, 0, 500).items();
            return deviations.data("deviations", plain(rows)).data("deviationClass", cls == null ? "" : cls)
                    .data("status", st == null ? "" : st).data("fragment", fragment)
                    .data("classes", java.util.Arrays.stream(eu.massbalance.contracts.event.DeviationClass.values()).map(Enum::name).toList())
                    .data("statuses", java.util.Arrays.stream(eu.massbalance.projection.engine.Deviation.Status.values()).map(Enum::name).toList());
        });
    }

    @GET
    @Path("sites/{siteId}/deviations/{deviationId}")
    public Response deviation(@PathParam("siteId") String siteId, @PathParam("deviationId") String deviationId,
                              @QueryParam("lang") String lang, @QueryParam("sent") String sent) {
        return page(lang, () -> {
            Principal caller = access.readerOf(siteId);
            JsonNode found = read.deviation(siteId, deviationId).orElseThrow(NotFoundException::new);
            String zone = read.configuration(siteId).map(c -> zone(c).getId()).orElse("UTC");
            return deviation.data("siteId", siteId).data("d", plain(found)).data("timeZone", zone)
                    .data("mayAct", ledger.configured() && mayAct(caller, siteId) && !"CLOSED".equals(found.path("status").asText()))
                    .data("key", java.util.UUID.randomUUID().toString())
                    .data("sent", sent != null && sent.matches("[A-Za-z0-9:._-]{1,200}") ? sent : "")
                    .data("classes", java.util.Arrays.stream(eu.massbalance.contracts.event.DeviationClass.values()).map(Enum::name).toList());
        });
    }

    @Inject
    @Location("workspace/sample.html")
    Template sample;

    @Inject
    eu.massbalance.projection.store.AuditSamples samples;

    @GET
    @Path("sites/{siteId}/samples/{sampleId}")
    public Response sample(@PathParam("siteId") String siteId, @PathParam("sampleId") String sampleId, @QueryParam("lang") String lang) {
        return page(lang, () -> {
            access.readerOf(siteId);
            return sample.data("siteId", siteId).data("s", plain(samples.find(siteId, sampleId).orElseThrow(NotFoundException::new)));
        });
    }

    /**
     * A site's chain status for the overview, loaded row by row after the page: the journal's hash chain
     * recomputed (the JSON of {@code …/audit/verify} also compares it with the ledger topic).
     */
    @GET
    @Path("sites/{siteId}/chain")
    public Response chain(@PathParam("siteId") String siteId, @QueryParam("lang") String lang) {
        if (identity.isAnonymous()) {
            return Response.status(401).build();
        }
        access.readerOf(siteId);
        ReadModels.Verification verified = read.verify(siteId);
        boolean english = locale(lang).getLanguage().equals("en");
        String text = verified.intact()
                ? (english ? "intact, " + verified.events() + " events" : "obruten, " + verified.events() + " händelser")
                : (english ? "BROKEN at event " : "BRUTEN vid händelse ") + verified.firstBrokenSeq();
        return Response.ok("<span class=\"" + (verified.intact() ? "ok" : "major") + "\">" + text + "</span>")
                .header("Cache-Control", "no-store").build();
    }

    /** Whether the caller acts on the site's books (a compliance officer of its organisation) and the workspace can send. */
    boolean mayAct(Principal caller, String siteId) {
        return caller.has(Principal.COMPLIANCE_OFFICER) && caller.organisation() != null
                && caller.organisation().equals(read.organisationOf(siteId).orElse(null));
    }

    // ------------------------------------------------------------------ rendering

    private Response page(String lang, Supplier<TemplateInstance> body) {
        if (identity.isAnonymous()) {
            return signIn();
        }
        Locale locale = locale(lang);
        Principal caller;
        TemplateInstance instance;
        try {
            caller = access.current();
            instance = body.get();
        } catch (ForbiddenException e) {
            return Response.status(403).entity(common(denied.instance(), locale, null).data("reason", e.getMessage()).render()).build();
        }
        Response.ResponseBuilder ok = Response.ok(common(instance, locale, caller).render())
                .header("Cache-Control", "no-store").header("Content-Security-Policy",
                        "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; form-action 'self' "
                                + "http: https:")
                .header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "same-origin");
        if (lang != null) {
            ok.cookie(new NewCookie.Builder(LANGUAGE_COOKIE).value(locale.getLanguage()).path("/app").maxAge(365 * 24 * 3600)
                    .sameSite(NewCookie.SameSite.LAX).build());
        }
        return ok.build();
    }

    private TemplateInstance common(TemplateInstance instance, Locale locale, Principal caller) {
        return instance.setLocale(locale).data("lang", locale.getLanguage()).data("path", uri.getPath())
                // the name the person signs in with (upn or preferred_username), not the provider's internal subject id
                .data("user", caller == null ? "" : identity.getPrincipal().getName())
                .data("roles", caller == null ? "" : String.join(", ", new java.util.TreeSet<>(caller.roles())))
                .data("csrf", caller == null || token.getRawToken() == null ? "" : guard.tokenFor(token.getRawToken()));
    }

    private Response signIn() {
        String next = uri.getRequestUri().getRawPath() + (uri.getRequestUri().getRawQuery() == null ? "" : "?" + uri.getRequestUri().getRawQuery());
        return Response.seeOther(URI.create("/app/login?next=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8))).build();
    }

    Locale locale(String lang) {
        return locale(lang, headers);
    }

    /** Swedish or English: as asked, else as chosen before, else as the browser prefers; Swedish by default. */
    static Locale locale(String lang, HttpHeaders headers) {
        String chosen = lang != null ? lang : headers.getCookies().containsKey(LANGUAGE_COOKIE)
                ? headers.getCookies().get(LANGUAGE_COOKIE).getValue() : null;
        if (chosen == null) {
            for (Locale l : headers.getAcceptableLanguages()) {
                if (l.getLanguage().equals("en") || l.getLanguage().equals("sv")) {
                    chosen = l.getLanguage();
                    break;
                }
            }
        }
        return "en".equals(chosen) ? Locale.ENGLISH : Locale.forLanguageTag("sv");
    }

    // ------------------------------------------------------------------ data

    /**
     * The period's movements, filtered. {@code fromDate} and {@code toDate} are business dates of the site, both days
     * included: from the first moment of the one to the last of the other in the site's time zone.
     */
    private List<ReadModels.Movement> movements(String siteId, SiteConfigured config, YearMonth month, String direction, String product,
                                                String fromDate, String toDate) {
        if (direction != null && !direction.isBlank() && !direction.equals("INBOUND") && !direction.equals("OUTBOUND")) {
            throw new jakarta.ws.rs.BadRequestException("direction is INBOUND or OUTBOUND");
        }
        if (product != null && !product.isBlank()) {
            List<eu.massbalance.contracts.FieldProblem> problems = new ArrayList<>();
            eu.massbalance.contracts.Bounds.identifier("product", product, problems);
            if (!problems.isEmpty()) {
                throw new jakarta.ws.rs.BadRequestException(problems.get(0).message());
            }
        }
        ZoneId zone = zone(config);
        LocalDate first = month.atDay(1);
        LocalDate end = month.plusMonths(config.periodMonths()).atDay(1);
        LocalDate fromDay = businessDate("fromDate", fromDate);
        LocalDate toDay = businessDate("toDate", toDate);
        if (fromDay != null && fromDay.isAfter(first)) {
            first = fromDay;
        }
        if (toDay != null && toDay.plusDays(1).isBefore(end)) {
            end = toDay.plusDays(1);
        }
        Instant from = first.atStartOfDay(zone).toInstant();
        Instant to = end.atStartOfDay(zone).toInstant();
        List<ReadModels.Movement> all = new ArrayList<>();
        long after = 0;
        for (int pages = 0; pages < 100; pages++) {
            ReadModels.Page<ReadModels.Movement> page = read.movements(siteId, from, to, after, 1000);
            all.addAll(page.items());
            if (page.next() == null || page.items().isEmpty()) {
                break;
            }
            after = page.items().get(page.items().size() - 1).seq();
        }
        return all.stream().filter(m -> direction == null || direction.isBlank() || m.direction().equals(direction))
                .filter(m -> product == null || product.isBlank() || m.product().equals(product)).toList();
    }

    private static LocalDate businessDate(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(text.strip());
            if (day.getYear() < 1900 || day.getYear() > 2999) {
                throw new jakarta.ws.rs.BadRequestException(field + ": a date from 1900 to 2999");
            }
            return day;
        } catch (DateTimeParseException e) {
            throw new jakarta.ws.rs.BadRequestException(field + ": a date, YYYY-MM-DD");
        }
    }

    static ZoneId zone(SiteConfigured config) {
        return config.timeZone() == null ? ZoneId.of("Europe/Stockholm") : ZoneId.of(config.timeZone());
    }

    private static YearMonth parsePeriod(String periodId) {
        try {
            return YearMonth.parse(periodId);
        } catch (DateTimeParseException e) {
            throw new NotFoundException();
        }
    }

    /** Records and JSON as maps and lists, which templates read without reflection. */
    static Object plain(Object value) {
        return LedgerJson.mapper().convertValue(value, Object.class);
    }

    static String plain(BigDecimal value) {
        return value == null ? "" : value.toPlainString();
    }

    /** CSV cells: quoted when they hold a separator, a quote or a line break; a leading formula sign is neutralised. */
    static final class Csv {
        private Csv() {
        }

        static String cell(String value) {
            if (value == null) {
                return "";
            }
            String text = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
            return text.matches(".*[,\"\r\n].*") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
        }
    }
}
