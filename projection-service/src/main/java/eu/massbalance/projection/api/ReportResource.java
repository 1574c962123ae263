package eu.massbalance.projection.api;

import eu.massbalance.projection.store.YearlyReport;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** R-21: the yearly report of an organisation's sustainable quantities, for the Energy Agency. */
@Path("/api/v1/organisations/{organisationId}/reports")
@Authenticated
public class ReportResource {

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    @Inject
    Access access;

    @Inject
    YearlyReport reports;

    @GET
    @Path("{year}")
    @Produces({MediaType.APPLICATION_JSON, "text/csv", XLSX})
    @Operation(summary = "The yearly report (R-21): sustainable quantities for which tax liability arose in the year, per batch,"
            + " with the characteristics a–o",
            description = "format: json (default), csv or xlsx; lang: sv (default; the guidance's headings, 5.2) or en. One line per"
                    + " site, batch and use area: the covered portions of tax-liable outbound deliveries booked in the year's"
                    + " periods, each quantity once; uncovered claims never appear. Totals per fuel category and raw-material"
                    + " group. provisional, with the open periods named, while any period of the year is open or the year has"
                    + " not ended at a site. positions: the last sequence number of each site's log the report was computed at;"
                    + " the same log gives the same bytes. For CSV the provisional flag and positions are in the headers"
                    + " X-Massbalance-Provisional and X-Massbalance-Log-Positions.")
    public Response report(@PathParam("organisationId") String organisationId, @PathParam("year") String year,
                           @QueryParam("format") String format, @QueryParam("lang") String lang) {
        access.readerOfOrganisation(organisationId);
        if (year == null || !year.matches("(19|20|21)\\d{2}")) {
            throw new BadRequestException("year: a calendar year, YYYY");
        }
        if (lang != null && !lang.equals("sv") && !lang.equals("en")) {
            throw new BadRequestException("lang: sv or en");
        }
        String chosen = format == null ? "json" : format;
        YearlyReport.Report report = reports.compute(organisationId, Integer.parseInt(year));
        String name = "massbalance-" + organisationId + "-" + year + (report.provisional() ? "-provisional" : "");
        String positions = report.positions().entrySet().stream().map(e -> e.getKey() + "@" + e.getValue())
                .collect(Collectors.joining(","));
        return switch (chosen) {
            case "json" -> Response.ok(report, MediaType.APPLICATION_JSON).build();
            case "csv" -> Response.ok(ReportFiles.csv(report, lang), "text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"")
                    .header("X-Massbalance-Provisional", report.provisional())
                    .header("X-Massbalance-Log-Positions", positions).build();
            case "xlsx" -> Response.ok(ReportFiles.xlsx(report, lang), XLSX)
                    .header("Content-Disposition", "attachment; filename=\"" + name + ".xlsx\"")
                    .header("X-Massbalance-Provisional", report.provisional())
                    .header("X-Massbalance-Log-Positions", positions).build();
            default -> throw new BadRequestException("format: json, csv or xlsx");
        };
    }
}
