package eu.massbalance.projection.web;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.access.Principal;
import eu.massbalance.projection.api.Access;
import eu.massbalance.projection.store.ReadModels;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * The compliance officer's actions in the workspace: close a period; reclassify a deviation with a
 * reason, add its action plan, close it. Each form carries the anti-forgery token ({@link FormGuard})
 * and an idempotency key drawn when the form was rendered, so a form sent twice is one command. The
 * command goes to ledger-service as the person ({@link LedgerCommands}); whoever may not act gets a
 * 403 here before anything is sent, and ledger-service checks again.
 */
@Path("/app/actions")
@PermitAll
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@Produces(MediaType.TEXT_HTML)
public class WorkspaceActions {

    private static final Logger LOG = Logger.getLogger(WorkspaceActions.class);
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9-]{8,64}");

    @Inject
    SecurityIdentity identity;

    @Inject
    JsonWebToken token;

    @Inject
    Access access;

    @Inject
    ReadModels read;

    @Inject
    FormGuard guard;

    @Inject
    LedgerCommands ledger;

    @Inject
    @Location("workspace/action-failed.html")
    Template failed;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uri;

    @POST
    @Path("sites/{siteId}/periods/{periodId}/close")
    public Response closePeriod(@PathParam("siteId") String siteId, @PathParam("periodId") String periodId,
                                @FormParam("csrf") String csrf, @FormParam("lang") String lang) {
        String back = "/app/sites/" + enc(siteId) + "/periods/" + enc(periodId);
        return act(siteId, csrf, null, lang, back, Map.of(), "api", "v1", "sites", siteId, "periods", periodId, "close");
    }

    @POST
    @Path("sites/{siteId}/deviations/{deviationId}/reclassification")
    public Response reclassify(@PathParam("siteId") String siteId, @PathParam("deviationId") String deviationId,
                               @FormParam("csrf") String csrf, @FormParam("key") String key, @FormParam("lang") String lang,
                               @FormParam("newClass") String newClass, @FormParam("reason") String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("newClass", newClass);
        body.put("reason", reason);
        return act(siteId, csrf, key, lang, deviationPage(siteId, deviationId), body, "api", "v1", "sites", siteId,
                "deviations", deviationId, "reclassification");
    }

    @POST
    @Path("sites/{siteId}/deviations/{deviationId}/action-plan")
    public Response plan(@PathParam("siteId") String siteId, @PathParam("deviationId") String deviationId,
                         @FormParam("csrf") String csrf, @FormParam("key") String key, @FormParam("lang") String lang,
                         @FormParam("actionPlan") String actionPlan) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("actionPlan", actionPlan);
        return act(siteId, csrf, key, lang, deviationPage(siteId, deviationId), body, "api", "v1", "sites", siteId,
                "deviations", deviationId, "action-plan");
    }

    @POST
    @Path("sites/{siteId}/deviations/{deviationId}/closure")
    public Response close(@PathParam("siteId") String siteId, @PathParam("deviationId") String deviationId,
                          @FormParam("csrf") String csrf, @FormParam("key") String key, @FormParam("lang") String lang,
                          @FormParam("resolution") String resolution) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("resolution", resolution);
        return act(siteId, csrf, key, lang, deviationPage(siteId, deviationId), body, "api", "v1", "sites", siteId,
                "deviations", deviationId, "closure");
    }

    @Inject
    eu.massbalance.projection.evidence.Sampling sampling;

    /** An audit sample, drawn here by any reader of the site (auditor or compliance officer) and recorded. */
    @POST
    @Path("sites/{siteId}/periods/{periodId}/samples")
    public Response sample(@PathParam("siteId") String siteId, @PathParam("periodId") String periodId,
                           @FormParam("csrf") String csrf, @FormParam("lang") String lang, @FormParam("size") String size,
                           @FormParam("seed") String seed, @FormParam("weighted") String weighted) {
        String back = "/app/sites/" + enc(siteId) + "/periods/" + enc(periodId);
        if (identity.isAnonymous()) {
            return Response.seeOther(URI.create("/app/login?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8))).build();
        }
        java.util.Locale locale = Workspace.locale(lang, headers);
        Optional<String> forged = guard.refusal(token.getRawToken(), csrf, headers, uri.getRequestUri());
        if (forged.isPresent()) {
            return failure(locale, 403, forged.get(), "This form was not sent from a page of this workspace, or its page is too"
                    + " old. Open the page again and send the form from there.", List.of(), back);
        }
        try {
            Principal caller = access.readerOf(siteId);
            Integer n = size == null || !size.matches("\\d{1,4}") ? null : Integer.valueOf(size);
            if (seed != null && !seed.isBlank() && !seed.strip().matches("\\d{1,16}")) {
                return failure(locale, 400, "SEED_INVALID", "seed: a whole number from 0 to 2^53-1, or empty for a random one",
                        List.of(), back);
            }
            Long s = seed == null || seed.isBlank() ? null : Long.valueOf(seed.strip());
            JsonNode drawn = sampling.draw(siteId, new eu.massbalance.projection.evidence.Sampling.Request(periodId, n, s,
                    weighted != null, null), caller);
            return Response.seeOther(URI.create("/app/sites/" + enc(siteId) + "/samples/" + enc(drawn.path("sampleId").asText())))
                    .build();
        } catch (ForbiddenException e) {
            return failure(locale, 403, "ROLE_MISSING", e.getMessage(), List.of(), back);
        } catch (jakarta.ws.rs.BadRequestException e) {
            return failure(locale, 400, "SAMPLE_INVALID", e.getMessage(), List.of(), back);
        } catch (jakarta.ws.rs.NotFoundException e) {
            return failure(locale, 404, "PERIOD_UNKNOWN", e.getMessage(), List.of(), back);
        }
    }

    // ------------------------------------------------------------------ one way for every action

    private Response act(String siteId, String csrf, String key, String lang, String back, Map<String, Object> body,
                         String... ledgerPath) {
        if (identity.isAnonymous()) {
            return Response.seeOther(URI.create("/app/login?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8))).build();
        }
        java.util.Locale locale = Workspace.locale(lang, headers);
        Optional<String> forged = guard.refusal(token.getRawToken(), csrf, headers, uri.getRequestUri());
        if (forged.isPresent()) {
            return failure(locale, 403, forged.get(), "This form was not sent from a page of this workspace, or its page is too"
                    + " old. Open the page again and send the form from there.", List.of(), back);
        }
        try {
            Principal caller = officerOf(siteId);
            if (key != null && !KEY.matcher(key).matches()) {
                return failure(locale, 400, "IDEMPOTENCY_KEY_INVALID", "The form's key is 8 to 64 letters, digits or dashes.",
                        List.of(), back);
            }
            if (!ledger.configured()) {
                return failure(locale, 503, "LEDGER_NOT_CONFIGURED", "This workspace does not know where ledger-service is:"
                        + " set MASSBALANCE_LEDGER_URL.", List.of(), back);
            }
            LedgerCommands.Outcome outcome = ledger.post(token.getRawToken(), key, body, ledgerPath);
            if (outcome.accepted()) {
                LOG.infof("workspace: %s sent %s for site %s as event %s", caller.subject(), ledgerPath[ledgerPath.length - 1],
                        siteId, outcome.text("eventId"));
                return Response.seeOther(URI.create(back + "?sent=" + enc(outcome.text("eventId")))).build();
            }
            List<String> problems = new ArrayList<>();
            if (outcome.body() != null && outcome.body().has("errors")) {
                for (JsonNode e : outcome.body().get("errors")) {
                    problems.add(e.path("field").asText() + ": " + e.path("message").asText());
                }
            }
            return failure(locale, outcome.status(), outcome.text("code"), outcome.text("detail").isEmpty()
                    ? outcome.text("title") : outcome.text("detail"), problems, back);
        } catch (ForbiddenException e) {
            return failure(locale, 403, "ROLE_MISSING", e.getMessage(), List.of(), back);
        } catch (IOException e) {
            LOG.warnf("workspace: ledger-service did not answer: %s", e.toString());
            return failure(locale, 502, "LEDGER_UNREACHABLE", "ledger-service did not answer; nothing was sent. Try again.",
                    List.of(), back);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(locale, 503, "INTERRUPTED", "Interrupted; try again.", List.of(), back);
        }
    }

    /** A compliance officer of the site's organisation: the only person who acts on its books. */
    private Principal officerOf(String siteId) {
        Principal caller = access.require(Principal.COMPLIANCE_OFFICER);
        String organisation = read.organisationOf(siteId).orElse(null);
        if (organisation == null || !organisation.equals(caller.organisation())) {
            throw new ForbiddenException("Only a compliance officer of the site's organisation acts on its books.");
        }
        return caller;
    }

    private Response failure(java.util.Locale locale, int status, String code, String detail, List<String> problems, String back) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-store")
                .entity(failed.instance().setLocale(locale).data("lang", locale.getLanguage()).data("path", back)
                        .data("user", identity.isAnonymous() ? "" : identity.getPrincipal().getName()).data("roles", "")
                        .data("csrf", identity.isAnonymous() || token.getRawToken() == null ? "" : guard.tokenFor(token.getRawToken()))
                        .data("status", status).data("code", code == null ? "" : code).data("detail", detail == null ? "" : detail)
                        .data("problems", problems).data("back", back).render())
                .build();
    }

    static String deviationPage(String siteId, String deviationId) {
        return "/app/sites/" + enc(siteId) + "/deviations/" + enc(deviationId);
    }

    static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
